package passsafe;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The safe's request handling, whatever transport carries the request: the checks, in order, then
 * the {@link Protocol.Endpoint} asked for. Every check that needs no body and no token comes
 * first, so none of them costs an attempt: method, header size, the {@link Gate}, readiness,
 * query, path, method for that path, body, token.
 */
final class Handler {
    /** Request bodies are not part of the protocol; a larger one is refused unread. */
    static final int MAX_BODY_BYTES = 1024;
    static final int MAX_HEADER_BYTES = 8 * 1024;

    private final Gate gate;
    private final Consumer<String> log;
    /** Who gets past the gate, for the access lines: a user's name, or "a client". */
    private final String who;
    private volatile Safe safe;
    /** Refusals since the last summary: other users' connections, and everything else the gate turned away. */
    private final AtomicLong refusedUsers = new AtomicLong();
    private final AtomicLong refusedOthers = new AtomicLong();

    /** {@code log} gets one line per request, never a secret. */
    Handler(Gate gate, Consumer<String> log) {
        this.gate = gate;
        this.log = log;
        this.who = Messages.who(gate.checksUsers());
    }

    /** Serves {@code safe} from now on; until then every request that passes the gate gets 503. */
    void open(Safe safe) {
        this.safe = safe;
    }

    /**
     * Answers {@code request}. Each answer is logged, but the gate's refusals only counted: anyone
     * can send them as fast as they like, and the owner's terminal must stay readable.
     */
    Reply handle(Request request) {
        Reply reply = answer(request);
        if (reply.status != Protocol.REFUSED) {
            log.accept(reply.logLine);
        } else if (reply.logLine.startsWith(Messages.REFUSED_USER_PREFIX) || reply.logLine.equals(Messages.REFUSED_UNKNOWN_USER)) {
            refusedUsers.incrementAndGet();
        } else {
            refusedOthers.incrementAndGet();
        }
        return reply;
    }

    /** Logs one line for the refusals counted since the last call, if there were any: called once a minute. */
    void summarize() {
        long users = refusedUsers.getAndSet(0);
        long others = refusedOthers.getAndSet(0);
        if (users + others > 0) {
            log.accept(Messages.refusedSummary(users, others));
        }
    }

    private Reply answer(Request request) {
        if (request.method.equals("OPTIONS")) {
            return Reply.text(Protocol.WRONG_METHOD, Messages.wrongMethod("POST"));
        }
        if (request.headerBytes() > MAX_HEADER_BYTES) {
            return Reply.text(Protocol.HEADERS_TOO_LARGE, Messages.headersTooLarge(MAX_HEADER_BYTES));
        }
        String refusal = gate.refusal(request);
        if (refusal != null) {
            return Reply.text(Protocol.REFUSED, Messages.REFUSED, refusal);
        }
        Safe safe = this.safe;
        if (safe == null) {
            return Reply.text(Protocol.NOT_READY, Messages.NOT_READY);
        }
        if (request.query != null) {
            return Reply.text(Protocol.BAD_REQUEST, Messages.NO_QUERY);
        }
        Protocol.Endpoint endpoint = Protocol.Endpoint.of(request.path);
        if (endpoint == null) {
            return Reply.text(Protocol.NOT_FOUND, Messages.notFound());
        }
        if (!request.method.equals(endpoint.method)) {
            return Reply.text(Protocol.WRONG_METHOD, Messages.wrongMethod(endpoint.method));
        }
        if (!request.header("Transfer-Encoding").isEmpty() || bodyLength(request) > MAX_BODY_BYTES) {
            return Reply.text(Protocol.TOO_LARGE, Messages.bodyTooLarge(MAX_BODY_BYTES));
        }
        if (!endpoint.needsToken) {
            return Reply.ok(Protocol.TEXT_TYPE, safe.status().encode(), Messages.STATUS_SHOWN);
        }
        String presented = request.single(Protocol.TOKEN_HEADER);
        if (presented == null && endpoint == Protocol.Endpoint.STOP && safe.state().endedByLimit()) {
            // An ended safe holds nothing: it gives way to its owner, who may not have the token at hand.
            return reply(safe.release(), Messages.stoppedBy(gate.admitted()), who(request));
        }
        byte[] token = presented == null ? null : Token.parse(presented);
        if (token == null) {
            return Reply.text(Protocol.BAD_REQUEST, Messages.noToken(Protocol.TOKEN_HEADER));
        }
        try {
            return endpoint == Protocol.Endpoint.STOP
                    ? reply(safe.stop(token), Messages.stoppedBy(gate.admitted()), who(request))
                    : reply(safe.retrieve(token, Protocol.secretName(request.path)), null, who(request));
        } finally {
            Arrays.fill(token, (byte) 0);
        }
    }

    /** The declared body length; a malformed one counts as too large. */
    private static long bodyLength(Request request) {
        String length = request.single("Content-Length");
        if (length == null) {
            return request.header("Content-Length").isEmpty() ? 0 : Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Who sent a request that passed the gate, for its access line, with the channel it came through. */
    private String who(Request request) {
        return request.viaSocket ? Messages.viaSocket(who) : who;
    }

    /** The reply to what the safe answered a request that passed every check; {@code stopped} is the stop's log line. */
    private Reply reply(Safe.Answer answer, String stopped, String who) {
        String attempts = Integer.toString(answer.attemptsLeft);
        switch (answer.outcome) {
            case RETRIEVED:
                return Reply.ok(Protocol.ENVELOPE_TYPE, answer.envelope, Messages.retrieved(who, answer))
                        .with(Protocol.ATTEMPTS_HEADER, attempts);
            case STOPPED:
                return Reply.text(Protocol.OK, Messages.STOPPED, stopped);
            case INVALID_TOKEN:
                return Reply.text(Protocol.INVALID_TOKEN, Messages.invalidToken(answer.attemptsLeft), Messages.invalidTokenLog(who, answer.attemptsLeft))
                        .with(Protocol.ATTEMPTS_HEADER, attempts);
            case LOCKED_NOW:
                return Reply.text(Protocol.LOCKED, Messages.LOCKED, Messages.lockedNowLog(who)).with(Protocol.ATTEMPTS_HEADER, attempts);
            case NO_SUCH_SECRET:
                return Reply.text(Protocol.NOT_FOUND, Messages.noSuchSecret(answer.name, answer.names), Messages.noSuchSecretLog(who, answer.name))
                        .with(Protocol.SECRETS_HEADER, String.join(",", answer.names));
            default:
                return answer.state == Safe.State.LOCKED
                        ? Reply.text(Protocol.LOCKED, Messages.LOCKED, Messages.refusedLog(answer.state)).with(Protocol.ATTEMPTS_HEADER, "0")
                        : Reply.text(Protocol.CLOSED, Messages.closed(answer.state), Messages.refusedLog(answer.state))
                                .with(Protocol.ENDED_HEADER, answer.state.code());
        }
    }
}
