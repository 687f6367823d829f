package passsafe;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@link Handler} answers: a status, a body with its type, the protocol's headers, and
 * the line the owner's terminal shows for it (never a secret). The body is wiped once sent.
 */
final class Reply {
    final int status;
    final String type;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();
    /** The owner's access line for it; null for a refusal, which is only counted. */
    final String logLine;
    /** Why the gate turned the request away, for a 403; null otherwise. */
    final Refusal refusal;
    /** Whether the connection is closed after this reply: any refusal's, since no passsafe client is at the other end. */
    final boolean close;

    private Reply(int status, String type, byte[] body, String logLine, Refusal refusal) {
        this.status = status;
        this.type = type;
        this.body = body;
        this.logLine = logLine;
        this.refusal = refusal;
        this.close = refusal != null;
    }

    static Reply text(int status, String line) {
        return text(status, line, line);
    }

    static Reply text(int status, String line, String logLine) {
        return new Reply(status, Protocol.TEXT_TYPE, (line + "\n").getBytes(StandardCharsets.UTF_8), logLine, null);
    }

    /**
     * A refusal of a request no passsafe client sends, before any token is looked at: {@code line}
     * is its body, and it is counted for the owner's summary, not printed on its own.
     */
    static Reply malformed(int status, String line) {
        return new Reply(status, Protocol.TEXT_TYPE, (line + "\n").getBytes(StandardCharsets.UTF_8), null, Refusal.MALFORMED);
    }

    /** The gate's refusal: one body for every reason, so the peer learns nothing of the safe or of why. */
    static Reply refused(Refusal refusal) {
        return new Reply(Protocol.REFUSED, Protocol.TEXT_TYPE, (Handler.REFUSED + "\n").getBytes(StandardCharsets.UTF_8), null, refusal);
    }

    /** A 200 with {@code body} of {@code type}; the reply owns the body and wipes it once sent. */
    static Reply ok(String type, byte[] body, String logLine) {
        return new Reply(Protocol.OK, type, body, logLine, null);
    }

    Reply with(String header, String value) {
        headers.put(header, value);
        return this;
    }
}
