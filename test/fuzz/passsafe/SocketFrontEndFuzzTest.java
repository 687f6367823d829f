package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Any bytes on the private socket, read by the socket server's reader and answered by the handler,
 * as one connection: nothing but the documented statuses, each a well-formed answer, and the
 * attempt counter moves only for a wrong token.
 */
class SocketFrontEndFuzzTest {
    private static final Set<Integer> DOCUMENTED = Set.of(Protocol.OK, Protocol.BAD_REQUEST, Protocol.INVALID_TOKEN, Protocol.REFUSED,
            Protocol.NOT_FOUND, Protocol.WRONG_METHOD, Protocol.CLOSED, Protocol.TOO_LARGE, Protocol.WRONG_KEY, Protocol.LOCKED,
            Protocol.HEADERS_TOO_LARGE, Protocol.NOT_READY);
    private static final Request.Peer OWNER = () -> null;

    @FuzzTest(maxDuration = "2m")
    void anyBytes_documentedAnswersAndAnHonestCounter(byte[] input) throws IOException {
        List<String> log = new ArrayList<>();
        Handler handler = new Handler(new Gate(Protocol.DEFAULT_PORT, 1000), log::add);
        Safe safe = SafeTest.newSafe(Duration.ofMinutes(1));
        handler.open(safe);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        converse(new ByteArrayInputStream(input), out, handler);

        List<Answer> answers = answers(out.toByteArray());
        long wrongTokens = answers.stream().filter(a -> a.status == Protocol.INVALID_TOKEN).count();
        Protocol.Status status = safe.status();
        boolean locked = status.state == State.LOCKED;
        assertEquals(Token.MAX_ATTEMPTS - status.attemptsLeft, wrongTokens + (locked ? 1 : 0), "attempts counted without a wrong token");
        String sent = new String(input, StandardCharsets.ISO_8859_1).replace(" ", "").toLowerCase(Locale.ROOT);
        for (Answer answer : answers) {
            assertTrue(DOCUMENTED.contains(answer.status), () -> "undocumented status " + answer.status);
            if (answer.envelope) {
                assertTrue(sent.contains("936265") && sent.contains(KeyCheck.hex(SafeTest.PROOF)), "an envelope without the token and key check");
            }
        }
        log.forEach(FuzzChecks::oneLine);
    }

    /** One connection, as {@code UnixServer} serves it: request after request until one closes it. */
    private static void converse(InputStream in, ByteArrayOutputStream out, Handler handler) {
        try {
            while (true) {
                Request request = HttpStream.next(in, out, OWNER, true, handler);
                if (request == null || HttpStream.answer(out, request, handler)) {
                    return;
                }
                HttpStream.drainBody(in, request);
            }
        } catch (IOException endsTheConnection) {
            // a bare LF or the end of input in the middle of a head or a body: closed unanswered, as the JDK's server does
        }
    }

    private static final class Answer {
        final int status;
        final boolean envelope;

        Answer(int status, boolean envelope) {
            this.status = status;
            this.envelope = envelope;
        }
    }

    /** The answers written, each checked to be one whole HTTP/1.1 answer; nothing may follow the last. */
    private static List<Answer> answers(byte[] written) throws IOException {
        List<Answer> answers = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(written);
        for (Response response = Response.read(in, "/"); response != null; response = Response.read(in, "/")) {
            boolean envelope = new String(response.body, StandardCharsets.US_ASCII).startsWith(Envelope.LABEL + " ");
            answers.add(new Answer(response.status, envelope));
        }
        return answers;
    }
}
