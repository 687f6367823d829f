package passsafe;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The safe's request handling, whatever transport carries the request: the checks, in order, then
 * the {@link Protocol.Endpoint} asked for. Every check that needs no body and no token comes
 * first, so none of them costs an attempt: the target, {@code OPTIONS}, header size and lines,
 * framing, the {@link Gate}, readiness, query, path, method for that path, body, token. Those
 * refusals are counted for a summary, not printed; what a token decided is one access line.
 */
final class Handler {
    /** Request bodies are not part of the protocol; a larger one is refused unread. */
    static final int MAX_BODY_BYTES = 1024;
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** Header lines a request may have: a passsafe client sends three or four. */
    static final int MAX_HEADER_LINES = 32;

    // The bodies a client reads: one line each, for people; clients act on the status and headers.
    /** The one body every refusal gets, so a refusal tells nothing about the safe's state. */
    static final String REFUSED = "refused: only a passsafe client of the safe's own user on this machine is served";
    static final String NOT_READY = "not ready: the safe is still asking for its duration and password";
    static final String NO_QUERY = "bad request: no query string is accepted";
    static final String STOPPED = "stopped: the safe is wiped and its server ends";
    static final String LOCKED = "locked: " + Token.MAX_ATTEMPTS + " invalid tokens were tried; start a new safe";
    static final String NOT_HTTP = "bad request: not an HTTP/1.1 request";
    static final String HEADERS_TOO_LARGE = "too large: the request headers exceed " + MAX_HEADER_BYTES + " bytes";
    private static final String BODY_TOO_LARGE = "too large: the request must have no body (at most " + MAX_BODY_BYTES + " bytes are ignored)";
    private static final String ENVELOPE_TOO_LARGE = "too large: an envelope has at most " + Envelope.MAX_SIZE_IN_BYTES + " bytes";
    private static final String NO_TOKEN = "bad request: send the 6-digit token in one " + Protocol.TOKEN_HEADER + " header";
    static final String WRONG_KEY = "wrong passphrase: the key check does not match; no use was spent";
    private static final String BAD_FRAMING = "bad request: a header name is malformed, or Content-Length is not one plain number";

    private final Gate gate;
    private final Consumer<String> log;
    private final String who;
    private volatile Safe safe;
    /** A session-mode safe's id, sent with its status; null without a session file. */
    private volatile String session;
    /** Refusals since the last summary, by kind: other users' connections, web pages and wrong hosts, malformed requests. */
    private final AtomicLong refusedUsers = new AtomicLong();
    private final AtomicLong refusedOthers = new AtomicLong();
    private final AtomicLong refusedMalformed = new AtomicLong();

    /** {@code log} gets one line per request, never a secret. */
    Handler(Gate gate, Consumer<String> log) {
        this.gate = gate;
        this.log = log;
        this.who = who(gate.checksUsers());
    }

    void session(String id) {
        this.session = id;
    }

    /** Serves {@code safe} from now on; until then every request that passes the gate gets 503. */
    void open(Safe safe) {
        this.safe = safe;
    }

    /**
     * Answers {@code request}. What a token decided is logged, one line each; every refusal before
     * the token is looked at is only counted: anyone (a web page's preflights, another user) can
     * send those as fast as they like, and the owner's terminal must stay readable.
     */
    Reply handle(Request request) {
        return counted(answer(request));
    }

    /** The reply to a request a front end could not even read, counted like any other refusal. */
    Reply malformed(int status) {
        String line = status == Protocol.HEADERS_TOO_LARGE ? HEADERS_TOO_LARGE : status == Protocol.NOT_FOUND ? NOT_FOUND : NOT_HTTP;
        return counted(Reply.malformed(status, line));
    }

    private Reply counted(Reply reply) {
        if (reply.refusal == null) {
            if (reply.logLine != null) {
                log.accept(reply.logLine);
            }
        } else if (reply.refusal.ofAUser()) {
            refusedUsers.incrementAndGet();
        } else if (reply.refusal == Refusal.MALFORMED) {
            refusedMalformed.incrementAndGet();
        } else {
            refusedOthers.incrementAndGet();
        }
        return reply;
    }

    /** Logs one line for the refusals counted since the last call, if there were any: called once a minute. */
    void summarize() {
        long users = refusedUsers.getAndSet(0);
        long others = refusedOthers.getAndSet(0);
        long malformed = refusedMalformed.getAndSet(0);
        long all = users + others + malformed;
        if (all > 0) {
            log.accept(String.format(Locale.ROOT, "refused %,d %s in the last minute: %,d from other users, %,d from web pages or with a wrong Host,"
                    + " %,d not from a passsafe client", all, all == 1 ? "request" : "requests", users, others, malformed));
        }
    }

    private Reply answer(Request request) {
        if (!request.path.startsWith("/")) {
            return Reply.malformed(Protocol.BAD_REQUEST, NOT_HTTP); // "*" or an absolute URI, as the socket front end refuses it
        }
        if (request.method.equals("OPTIONS")) {
            return Reply.malformed(Protocol.WRONG_METHOD, wrongMethod("POST"));
        }
        if (request.headerBytes() > MAX_HEADER_BYTES || request.headerLines() > MAX_HEADER_LINES) {
            return Reply.malformed(Protocol.HEADERS_TOO_LARGE, HEADERS_TOO_LARGE);
        }
        if (!request.wellFramed()) {
            return Reply.malformed(Protocol.BAD_REQUEST, BAD_FRAMING);
        }
        Refusal refusal = gate.refusal(request);
        if (refusal != null) {
            return Reply.refused(refusal);
        }
        Safe safe = this.safe;
        if (safe == null) {
            return Reply.text(Protocol.NOT_READY, NOT_READY);
        }
        if (request.query != null) {
            return Reply.malformed(Protocol.BAD_REQUEST, NO_QUERY);
        }
        Protocol.Endpoint endpoint = Protocol.Endpoint.of(request.path);
        if (endpoint == null) {
            return Reply.malformed(Protocol.NOT_FOUND, NOT_FOUND);
        }
        if (!request.method.equals(endpoint.method)) {
            return Reply.malformed(Protocol.WRONG_METHOD, wrongMethod(endpoint.method));
        }
        long maxBody = endpoint == Protocol.Endpoint.REPLACE ? Envelope.MAX_SIZE_IN_BYTES : MAX_BODY_BYTES;
        if (!request.header("Transfer-Encoding").isEmpty() || request.contentLength() > maxBody) {
            return Reply.malformed(Protocol.TOO_LARGE, endpoint == Protocol.Endpoint.REPLACE ? ENVELOPE_TOO_LARGE : BODY_TOO_LARGE);
        }
        if (!endpoint.needsToken) {
            // Not logged: it changes nothing and shows nothing secret, and every client asks it first.
            return Reply.ok(Protocol.TEXT_TYPE, safe.status().withServer(session, ProcessHandle.current().pid()).encode(), null);
        }
        String presented = request.single(Protocol.TOKEN_HEADER);
        byte[] token = presented == null ? null : Token.parse(presented);
        if (token == null) {
            return Reply.malformed(Protocol.BAD_REQUEST, NO_TOKEN);
        }
        byte[] proof = proof(request);
        String name = endpoint.secretName(request.path);
        // The safe takes the token, and wipes it once compared.
        switch (endpoint) {
            case STOP:
                return reply(safe.stop(token), "stopped by " + gate.admitted(), who(request));
            case REPLACE:
                return reply(safe.replace(token, name, proof, envelope(request)), "secret " + name + " replaced by " + gate.admitted(), who(request));
            case REJECT:
                return reply(safe.reject(token, name, proof, version(request)), null, who(request));
            case ACCEPT:
                return reply(safe.accept(token, name, proof, version(request)), null, who(request));
            default:
                return reply(safe.retrieve(token, name, proof, "1".equals(request.single(Protocol.TRIAL_HEADER))), null, who(request));
        }
    }

    /** The envelope in the request's body, or null when the body is not one. */
    private static Envelope envelope(Request request) {
        byte[] body = request.body();
        try {
            return Envelope.parse(body, 1, Kdf.MAX_ITERATIONS);
        } catch (PasssafeException notAnEnvelope) {
            return null;
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    /** The version a rejection names; -1, the secret's version now, when it names none; -2, which matches none, when malformed. */
    private static int version(Request request) {
        if (request.header(Protocol.VERSION_HEADER).isEmpty()) {
            return -1;
        }
        String version = request.single(Protocol.VERSION_HEADER);
        return version != null && version.matches("0|[1-9][0-9]{0,8}") ? Integer.parseInt(version) : -2;
    }

    /** The key check sent, null when none was, empty when malformed: neither matches anything. */
    private static byte[] proof(Request request) {
        if (request.header(Protocol.KEY_CHECK_HEADER).isEmpty()) {
            return null;
        }
        byte[] proof = KeyCheck.parseHex(request.single(Protocol.KEY_CHECK_HEADER), KeyCheck.SIZE_IN_BYTES);
        return proof == null ? new byte[0] : proof;
    }

    static String who(boolean checksUsers) {
        return checksUsers ? System.getProperty("user.name") : "a client";
    }

    /** Who sent a request that passed the gate, for its access line, with the channel it came through. */
    private String who(Request request) {
        return request.viaSocket ? who + " (socket)" : who;
    }

    /** The reply to what the safe answered a request that passed every check; {@code done} is a stop's or replacement's log line. */
    private Reply reply(Safe.Result result, String done, String who) {
        String attempts = Integer.toString(result.attemptsLeft);
        String left = Token.attemptsLeft(result.attemptsLeft);
        switch (result.outcome) {
            case RETRIEVED:
                Reply envelope = Reply.ok(Protocol.ENVELOPE_TYPE, result.envelope, retrieved(who, result)).with(Protocol.ATTEMPTS_HEADER, attempts)
                        .with(Protocol.VERSION_HEADER, Integer.toString(result.version));
                return result.trial ? envelope.with(Protocol.TRIAL_HEADER, "1") : envelope;
            case ACCEPTED:
                return Reply.text(Protocol.OK, "accepted: secret " + result.name + " works", who + ": reported that " + result.name + " works");
            case REPLACED:
                return Reply.text(Protocol.OK, "replaced: secret " + result.name, done)
                        .with(Protocol.VERSION_HEADER, Integer.toString(result.version));
            case REJECTED:
                return Reply.text(Protocol.REJECTED, "rejected: " + PasssafeException.Rejected.line(result.name, result.rejectedAt),
                        who + ": asked for " + result.name + ", which the database refused: not handed out")
                        .with(Protocol.REJECTED_HEADER, Long.toString(result.rejectedAt));
            case MARKED_REJECTED:
                return Reply.text(Protocol.OK, "rejected: secret " + result.name + " is handed to no one until it is replaced",
                        who + ": the database refused " + result.name + "; it is handed to no one until passsafe set replaces it")
                        .with(Protocol.REJECTED_HEADER, Long.toString(result.rejectedAt));
            case REPLACED_SINCE:
                return Reply.text(Protocol.STALE, "replaced since: secret " + result.name + " was replaced after that version; fetch it again",
                        who + ": a refusal of " + result.name + " came after it was replaced")
                        .with(Protocol.VERSION_HEADER, Integer.toString(result.version));
            case NOT_SEALED:
                return Reply.text(Protocol.BAD_REQUEST, "bad request: the body is not an envelope of secret " + result.name + " sealed under this safe's key",
                        who + ": sent a replacement for " + result.name + " that is not sealed under this safe's key (nothing changed)");
            case STOPPED:
                return Reply.text(Protocol.OK, STOPPED, done);
            case INVALID_TOKEN:
                return Reply.text(Protocol.INVALID_TOKEN, "invalid token: " + left, who + ": invalid token (" + left + ")")
                        .with(Protocol.ATTEMPTS_HEADER, attempts);
            case LOCKED_NOW:
                return Reply.text(Protocol.LOCKED, LOCKED, who + ": invalid token (0 attempts left): the safe is now locked and its secrets wiped")
                        .with(Protocol.ATTEMPTS_HEADER, attempts);
            case WRONG_KEY:
                return Reply.text(Protocol.WRONG_KEY, WRONG_KEY, who + ": wrong passphrase for " + result.name + " (no use spent, " + left + ")")
                        .with(Protocol.ATTEMPTS_HEADER, attempts);
            case NO_SUCH_SECRET:
                return Reply.text(Protocol.NOT_FOUND, "this safe holds no secret named " + result.name + "; it holds " + String.join(", ", result.names),
                        who + ": asked for " + result.name + ", which this safe does not hold")
                        .with(Protocol.SECRETS_HEADER, String.join(",", result.names));
            default:
                String refused = "refused: " + result.state.reason();
                return result.state == State.LOCKED
                        ? Reply.text(Protocol.LOCKED, LOCKED, refused).with(Protocol.ATTEMPTS_HEADER, "0")
                        : Reply.text(Protocol.CLOSED, "closed: " + result.state.reason(), refused).with(Protocol.ENDED_HEADER, result.state.code());
        }
    }

    private static String retrieved(String who, Safe.Result result) {
        return who + ": retrieved " + result.name + " (" + (result.usesLeft >= 0 ? Safe.usesLeft(result.usesLeft) + ", " : "")
                + Token.attemptsLeft(result.attemptsLeft) + ")" + (result.state == State.USED_UP ? "; the safe's uses are used up" : "");
    }

    private static String wrongMethod(String method) {
        return "wrong method: use " + method;
    }

    private static final String NOT_FOUND = notFound();

    private static String notFound() {
        StringBuilder paths = new StringBuilder();
        for (Protocol.Endpoint endpoint : Protocol.Endpoint.values()) {
            paths.append(paths.length() == 0 ? "" : ", ").append(endpoint.path);
        }
        return "not found: the paths are " + paths;
    }
}
