package passsafe;

import java.util.Arrays;
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

    Reply handle(Request request) {
        Reply reply = answer(request);
        log.accept(reply.logLine);
        return reply;
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
        byte[] token = presented == null ? null : Token.parse(presented);
        if (token == null) {
            return Reply.text(Protocol.BAD_REQUEST, Messages.noToken(Protocol.TOKEN_HEADER));
        }
        try {
            return endpoint == Protocol.Endpoint.STOP
                    ? reply(safe.stop(token), Messages.stoppedBy(gate.admitted()))
                    : reply(safe.retrieve(token, Protocol.secretName(request.path)), null);
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

    /** The reply to what the safe answered a request that passed every check; {@code stopped} is the stop's log line. */
    private Reply reply(Safe.Answer answer, String stopped) {
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
