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
        Request request = HttpStream.read(in("POST /v1/secret/api?x=1 HTTP/1.1\r\nHost: localhost\r\nPasssafe-Token:  936265 \r\n\r\n"), OWNER);
        assertEquals("POST", request.method);
        assertEquals("/v1/secret/api", request.path);
        assertEquals("x=1", request.query);
        assertEquals("936265", request.single("passsafe-token"), "names compared without case, values trimmed");
        assertTrue(request.viaSocket);
    }

    @Test
    void read_endOfInputBetweenRequests_isNull() throws Exception {
        assertNull(HttpStream.read(in(""), OWNER));
    }

    @Test
    void read_endOfInputInTheMiddleOfALine_isAnEofException() {
        assertThrows(EOFException.class, () -> HttpStream.read(in("GET /v1/status HTTP/1.1\r\nHost: local"), OWNER));
        assertThrows(EOFException.class, () -> HttpStream.read(in("GET /v1/sta"), OWNER));
    }

    @Test
    void read_endOfInputAfterAHeaderLine_endsTheHeadAsTheJdksServerDoes() throws Exception {
        assertEquals("localhost", HttpStream.read(in("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n"), OWNER).single("Host"));
    }

    @Test
    void read_emptyLinesBeforeARequest_areSkipped() throws Exception {
        assertEquals("/v1/status", HttpStream.read(in("\r\n\r\nGET /v1/status HTTP/1.1\r\n\r\n"), OWNER).path);
        assertNull(HttpStream.read(in("\r\n"), OWNER));
    }

    @Test
    void read_bareLf_isNotARequest() {
        assertThrows(HttpLines.BareLf.class, () -> HttpStream.read(in("GET /v1/status HTTP/1.1\nHost: x\n\n"), OWNER));
    }

    @Test
    void read_foldedHeader_continuesTheOneBefore() throws Exception {
        assertEquals("936 265", HttpStream.read(in("GET / HTTP/1.1\r\nPasssafe-Token: 936\r\n 265\r\n\r\n"), OWNER).single("Passsafe-Token"));
    }

    @Test
    void read_targetAndVersion_splitAtTheFirstTwoSpaces() throws Exception {
        Request request = HttpStream.read(in("GET /v1/status  HTTP/1.1\r\n\r\n"), OWNER);
        assertEquals("/v1/status", request.path);
        assertEquals("http://x/v1/status", HttpStream.read(in("GET http://x/v1/status HTTP/1.1\r\n\r\n"), OWNER).path,
                "an absolute target reaches the handler as it is, for it to refuse");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1/status\r\n\r\n", "GET /v1/status SPDY/3\r\n\r\n", "GET /v1/status HTTP/1.1\r\nno colon here\r\n\r\n",
        "GET /v1/status HTTP/1.1\r\n: empty name\r\n\r\n"})
    void read_malformed_is400(String request) {
        assertEquals(Protocol.BAD_REQUEST, assertThrows(HttpStream.Malformed.class, () -> HttpStream.read(in(request), OWNER)).status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET v1/status HTTP/1.1\r\n\r\n", "GET  /v1/status HTTP/1.1\r\n\r\n", "OPTIONS * HTTP/1.1\r\n\r\n"})
    void read_noPath_is404AsTheJdksServerAnswers(String request) {
        assertEquals(Protocol.NOT_FOUND, assertThrows(HttpStream.Malformed.class, () -> HttpStream.read(in(request), OWNER)).status);
    }

    @Test
    void read_overlongHead_isOversizedAndTheHandlerCounts33Lines() throws Exception {
        String longPath = "GET /" + "a".repeat(Handler.MAX_HEADER_BYTES) + " HTTP/1.1\r\n\r\n";
        assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in(longPath), OWNER));
        String longHeader = "GET / HTTP/1.1\r\nX: " + "a".repeat(Handler.MAX_HEADER_BYTES) + "\r\n\r\n";
        assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in(longHeader), OWNER));
        assertThrows(HttpStream.Oversized.class, () -> HttpStream.read(in("GET / HTTP/1.1\r\n" + "A:\r\n".repeat(201) + "\r\n"), OWNER));
        Request many = HttpStream.read(in("GET / HTTP/1.1\r\n" + "A: b\r\n".repeat(33) + "\r\n"), OWNER);
        assertEquals(33, many.headerLines(), "33 repeated lines are 33, not one name");
    }

    @Test
    void drainBody_aSmallBody_soTheNextRequestStartsWhereItShould() throws Exception {
        InputStream in = in("POST /v1/stop HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /v1/status HTTP/1.1\r\n\r\n");
        Request stop = HttpStream.read(in, OWNER);
        assertEquals("/v1/stop", stop.path);
        HttpStream.drainBody(in, stop);
        Request next = HttpStream.read(in, OWNER);
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
}
