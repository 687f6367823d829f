package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The socket server's reader and writer of HTTP/1.1, on byte streams. */
class HttpStreamTest {
    private static final Request.Peer OWNER = () -> null;

    private static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void read_aRequest_methodPathQueryHeadersAndThroughTheSocket() throws Exception {
        Request request = HttpStream.read(in("POST /v1/secret/api?x=1 HTTP/1.1\r\nHost: localhost\r\nPasssafe-Token:  936265 \r\n\r\n"), OWNER, true);
        assertEquals("POST", request.method);
        assertEquals("/v1/secret/api", request.path);
        assertEquals("x=1", request.query);
        assertEquals("936265", request.single("passsafe-token"), "names compared without case, values trimmed");
        assertTrue(request.viaSocket);
    }

    @Test
    void read_endOfInputBetweenRequests_isNull() throws Exception {
        assertNull(HttpStream.read(in(""), OWNER, true));
    }

    @Test
    void read_endOfInputInTheMiddleOfALine_isAnEofException() {
        assertThrows(EOFException.class, () -> HttpStream.read(in("GET /v1/status HTTP/1.1\r\nHost: local"), OWNER, true));
        assertThrows(EOFException.class, () -> HttpStream.read(in("GET /v1/sta"), OWNER, true));
    }

    @Test
    void read_endOfInputAfterAHeaderLine_endsTheHeadAsTheJdksServerDoes() throws Exception {
        assertEquals("localhost", HttpStream.read(in("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n"), OWNER, true).single("Host"));
    }

    @Test
    void read_emptyLinesBeforeARequest_areSkipped() throws Exception {
        assertEquals("/v1/status", HttpStream.read(in("\r\n\r\nGET /v1/status HTTP/1.1\r\n\r\n"), OWNER, true).path);
        assertNull(HttpStream.read(in("\r\n"), OWNER, true));
    }

    @Test
    void read_bareLf_isNotARequest() {
        assertThrows(HttpLines.BareLf.class, () -> HttpStream.read(in("GET /v1/status HTTP/1.1\nHost: x\n\n"), OWNER, true));
    }

    @Test
    void read_foldedHeader_continuesTheOneBefore() throws Exception {
        assertEquals("936 265", HttpStream.read(in("GET / HTTP/1.1\r\nPasssafe-Token: 936\r\n 265\r\n\r\n"), OWNER, true).single("Passsafe-Token"));
    }

    @Test
    void read_targetAndVersion_splitAtTheFirstTwoSpaces_versionExactly() throws Exception {
        Request request = HttpStream.read(in("GET /v1/status HTTP/1.0\r\n\r\n"), OWNER, true);
        assertEquals("/v1/status", request.path);
        for (String odd : new String[] {"GET /v1/status  HTTP/1.1\r\n\r\n", "GET /v1/status HTTP/1.9\r\n\r\n", "GET /v1/status HTTP/1.\r\n\r\n",
            "GET /v1/status HTTP/1.1 x\r\n\r\n"}) {
            assertEquals(Protocol.BAD_REQUEST, assertThrows(HttpStream.Malformed.class, () -> HttpStream.read(in(odd), OWNER, true)).status, odd);
        }
        assertEquals("http://x/v1/status", HttpStream.read(in("GET http://x/v1/status HTTP/1.1\r\n\r\n"), OWNER, true).path,
                "an absolute target reaches the handler as it is, for it to refuse");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1/status\r\n\r\n", "GET /v1/status SPDY/3\r\n\r\n", "GET /v1/status HTTP/1.1\r\nno colon here\r\n\r\n",
        "GET /v1/status HTTP/1.1\r\n: empty name\r\n\r\n"})
    void read_malformed_is400(String request) {
        assertEquals(Protocol.BAD_REQUEST, assertThrows(HttpStream.Malformed.class, () -> HttpStream.read(in(request), OWNER, true)).status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET v1/status HTTP/1.1\r\n\r\n", "GET  /v1/status HTTP/1.1\r\n\r\n", "OPTIONS * HTTP/1.1\r\n\r\n"})
    void read_noPath_is404AsTheJdksServerAnswers(String request) {
        assertEquals(Protocol.NOT_FOUND, assertThrows(HttpStream.Malformed.class, () -> HttpStream.read(in(request), OWNER, true)).status);
    }

    @Test
    void read_overlongHead_isOversizedAndTheHandlerCounts33Lines() throws Exception {
        String longPath = "GET /" + "a".repeat(Handler.MAX_HEADER_BYTES) + " HTTP/1.1\r\n\r\n";
        assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in(longPath), OWNER, true));
        String longHeader = "GET / HTTP/1.1\r\nX: " + "a".repeat(Handler.MAX_HEADER_BYTES) + "\r\n\r\n";
        assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in(longHeader), OWNER, true));
        assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in("GET / HTTP/1.1\r\n" + "A:\r\n".repeat(201) + "\r\n"), OWNER, true));
        Request many = HttpStream.read(in("GET / HTTP/1.1\r\n" + "A: b\r\n".repeat(33) + "\r\n"), OWNER, true);
        assertEquals(33, many.headerLines(), "33 repeated lines are 33, not one name");
    }

    @Test
    void drainBody_aSmallBody_soTheNextRequestStartsWhereItShould() throws Exception {
        InputStream in = in("POST /v1/stop HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /v1/status HTTP/1.1\r\n\r\n");
        Request stop = HttpStream.read(in, OWNER, true);
        assertEquals("/v1/stop", stop.path);
        HttpStream.drainBody(in, stop);
        Request next = HttpStream.read(in, OWNER, true);
        assertEquals("GET", next.method);
        assertEquals("/v1/status", next.path);
    }

    @Test
    void write_aReply_oneAnswerWithItsHeadersAndTheBodyWiped() throws Exception {
        Reply reply = Reply.text(Protocol.INVALID_TOKEN, "invalid token: 2 attempts left").with(Protocol.ATTEMPTS_HEADER, "2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpStream.write(out, reply, true);
        String written = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals("HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 31\r\n"
                + "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\nPasssafe-Attempts-Left: 2\r\n\r\n"
                + "invalid token: 2 attempts left\n", written);
        for (byte b : reply.body) {
            assertEquals(0, b, "the body is wiped once written");
        }
    }

    /** Each of the reader's limits at its value and one past it. */
    @org.junit.jupiter.api.Nested
    class Limits {
        @Test
        void read_200BlankLinesBeforeARequest_skipped_201Oversized() throws Exception {
            assertEquals("/v1/status", HttpStream.read(in("\r\n".repeat(200) + "GET /v1/status HTTP/1.1\r\n\r\n"), OWNER, true).path);
            assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in("\r\n".repeat(201) + "GET /v1/status HTTP/1.1\r\n\r\n"), OWNER, true));
        }

        @Test
        void read_headBytesAtTheLimit_read_onePastOversized() throws Exception {
            String requestLine = "GET / HTTP/1.1\r\n";
            // Each line counts with its CRLF; the empty line that ends the head does not.
            int pad = Handler.MAX_HEADER_BYTES - requestLine.length() - "X: \r\n".length();
            Request atLimit = HttpStream.read(in(requestLine + "X: " + "a".repeat(pad) + "\r\n\r\n"), OWNER, true);
            assertEquals(pad, atLimit.single("X").length());
            assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in(requestLine + "X: " + "a".repeat(pad + 1) + "\r\n\r\n"), OWNER, true));
            String twoLines = requestLine + "X: " + "a".repeat(pad / 2) + "\r\nY: " + "a".repeat(pad - pad / 2 - 5) + "\r\n\r\n";
            assertEquals(2, HttpStream.read(in(twoLines), OWNER, true).headerLines(), "the limit is the sum over lines");
            String over = requestLine + "X: " + "a".repeat(pad / 2) + "\r\nY: " + "a".repeat(pad - pad / 2 - 4) + "\r\n\r\n";
            assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in(over), OWNER, true));
        }

        @Test
        void read_200HeaderLines_read_201Oversized() throws Exception {
            assertEquals(200, HttpStream.read(in("GET / HTTP/1.1\r\n" + "A: b\r\n".repeat(200) + "\r\n"), OWNER, true).headerLines());
            assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in("GET / HTTP/1.1\r\n" + "A: b\r\n".repeat(201) + "\r\n"), OWNER, true));
        }

        @Test
        void read_aNameOfOneCharacter_read_noNameAt400() throws Exception {
            assertEquals("b", HttpStream.read(in("GET / HTTP/1.1\r\nA:b\r\n\r\n"), OWNER, true).single("a"));
            HttpStream.Malformed malformed = assertThrows(HttpStream.Malformed.class, () -> HttpStream.read(in("GET / HTTP/1.1\r\n:b\r\n\r\n"), OWNER, true));
            assertEquals(400, malformed.status);
        }

        @Test
        void read_aRequestLineStartingWithASpace_hasAnEmptyMethod() throws Exception {
            Request request = HttpStream.read(in(" /v1/status HTTP/1.1\r\n\r\n"), OWNER, true);
            assertEquals("", request.method);
            assertEquals("/v1/status", request.path);
        }
    }

    /** One connection as the socket server serves it: next, answer, drain, until one closes it. */
    @org.junit.jupiter.api.Nested
    class Conversation {
        private final java.util.List<String> log = new java.util.ArrayList<>();
        private final Handler handler = new Handler(new Gate(8051, 1000), log::add);

        Conversation() {
            handler.open(SafeTest.newSafe());
        }

        private String converse(String requests) throws Exception {
            InputStream in = in(requests);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Request request = HttpStream.next(in, out, OWNER, true, handler); request != null; request = HttpStream.next(in, out, OWNER, true, handler)) {
                if (HttpStream.answer(out, request, handler)) {
                    break;
                }
                HttpStream.drainBody(in, request);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        private int answers(String written) {
            return (int) java.util.regex.Pattern.compile("(?m)^HTTP/1\\.1 \\d{3} ").matcher(written).results().count();
        }

        @Test
        void next_keptAliveRequests_eachAnsweredOnTheOneConnection() throws Exception {
            String status = "GET /v1/status HTTP/1.1\r\nHost: localhost:8051\r\n\r\n";
            String written = converse(status + status + status);
            assertEquals(3, answers(written), written);
            assertTrue(!written.contains("Connection: close"), written);
        }

        @Test
        void answer_connectionCloseOrHead_isTheLastAnswer() throws Exception {
            String status = "GET /v1/status HTTP/1.1\r\nHost: localhost:8051\r\n\r\n";
            String closing = "GET /v1/status HTTP/1.1\r\nHost: localhost:8051\r\nConnection: close\r\n\r\n";
            String written = converse(closing + status);
            assertEquals(1, answers(written), written);
            assertTrue(written.contains("Connection: close"), written);
            written = converse("HEAD /v1/status HTTP/1.1\r\nHost: localhost:8051\r\n\r\n" + status);
            assertEquals(1, answers(written), "a HEAD answer here carries its body, so nothing after it is read");
            assertTrue(written.contains("Connection: close"), written);
        }

        @Test
        void next_malformed_answered400AndClosed_oversized_closedUnanswered() throws Exception {
            String written = converse("GET /v1/status\r\n\r\nGET /v1/status HTTP/1.1\r\nHost: localhost:8051\r\n\r\n");
            assertEquals(1, answers(written), written);
            assertTrue(written.startsWith("HTTP/1.1 400 Bad Request\r\n") && written.contains("Connection: close"), written);
            assertEquals("", converse("GET / HTTP/1.1\r\n" + "A: b\r\n".repeat(201) + "\r\n"), "closed unanswered, as the JDK's server closes it");
            handler.summarize();
            assertEquals(java.util.List.of("refused 2 requests in the last minute: 0 from other users, 0 from web pages or with a wrong Host,"
                    + " 2 not from a passsafe client"), log, "both counted");
        }

        @Test
        void write_flushesWhatItWrites() throws Exception {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(sink, 1 << 16);
            HttpStream.write(buffered, Reply.text(Protocol.OK, "ok"), false);
            assertTrue(sink.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\n"), "the answer left the buffer");
        }
    }
}
