package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A client's reading of an answer, and the protocol's table from status to exception. */
class ResponseTest {
    private static Response read(String path, String answer) throws Exception {
        return Response.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.ISO_8859_1)), path);
    }

    private static Response answer(int status, String headers, String body) throws Exception {
        return read("/v1/secret", "HTTP/1.1 " + status + " X\r\n" + headers + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }

    @Test
    void read_anAnswer_statusTheHeadersAClientReadsAndTheBody() throws Exception {
        Response response = read("/v1/secret", "HTTP/1.1 200 OK\r\nContent-Type: x\r\nPasssafe-Attempts-Left: 3\r\nX-Other: y\r\n"
                + "Content-Length: 5\r\n\r\nhello");
        assertEquals(200, response.status);
        assertEquals("3", response.headers.get("passsafe-attempts-left"));
        assertFalse(response.headers.containsKey("x-other"), "only the protocol's headers are kept");
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), response.ok());
        assertFalse(response.closes);
        assertTrue(answer(200, "Connection: close\r\n", "").closes);
    }

    @Test
    void read_nothingAtAll_isNullSoTheCallerMayTryAgain() throws Exception {
        assertNull(read("/v1/status", ""));
    }

    @Test
    void read_cutInTheMiddle_isAnEofException() {
        assertThrows(EOFException.class, () -> read("/v1/status", "HTTP/1.1 200 OK\r\nContent-Len"));
        assertThrows(EOFException.class, () -> read("/v1/status", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.0 200 OK\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 20\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n"})
    void read_notAPasssafeAnswer_isUnsupportedServer(String answer) {
        PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, () -> read("/v1/status", answer));
        assertTrue(e.getMessage().startsWith("the server's answer was refused: it"), e.getMessage());
    }

    @Test
    void read_hugeHeadOrLine_isRefusedWithinItsLimit() {
        assertThrows(PasssafeException.UnsupportedServer.class, () -> read("/v1/status", "HTTP/1.1 200 OK\r\nX: " + "a".repeat(9000) + "\r\n\r\n"));
        String many = "X: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".repeat(300);
        assertThrows(PasssafeException.UnsupportedServer.class, () -> read("/v1/status", "HTTP/1.1 200 OK\r\n" + many + "\r\n"));
    }

    @Test
    void ok_401_isInvalidTokenWithTheAttemptsLeft() throws Exception {
        PasssafeException.InvalidToken e = assertThrows(PasssafeException.InvalidToken.class,
                () -> answer(401, "Passsafe-Attempts-Left: 2\r\n", "invalid token").ok());
        assertEquals(2, e.attemptsLeft());
        assertEquals(0, assertThrows(PasssafeException.InvalidToken.class, () -> answer(401, "Passsafe-Attempts-Left: 22\r\n", "").ok()).attemptsLeft(),
                "a count no safe sends reads as none left");
    }

    @Test
    void ok_eachRefusal_isItsException() throws Exception {
        assertThrows(PasssafeException.Locked.class, () -> answer(423, "", "locked").ok());
        assertThrows(PasssafeException.NotReady.class, () -> answer(503, "", "not ready").ok());
        PasssafeException.Closed closed = assertThrows(PasssafeException.Closed.class, () -> answer(410, "Passsafe-Ended: idle\r\n", "").ok());
        assertEquals(PasssafeException.Closed.Reason.IDLE, closed.reason());
        assertEquals("idle", closed.reason().toString());
        assertTrue(closed.getMessage().contains("it went unused for its idle time"), closed.getMessage());
        assertThrows(PasssafeException.Locked.class, () -> answer(410, "Passsafe-Ended: locked\r\n", "").ok(), "a lock is always Locked");
        assertThrows(PasssafeException.UnsupportedServer.class, () -> answer(410, "Passsafe-Ended: open\r\n", "").ok());
        assertThrows(PasssafeException.UnsupportedServer.class, () -> answer(410, "Passsafe-Ended: resting\r\n", "").ok());
        assertThrows(PasssafeException.UnsupportedServer.class, () -> answer(410, "", "").ok());
    }

    @Test
    void ok_404ForASecret_namesWhatTheSafeHolds() throws Exception {
        Response response = read("/v1/secret/api", "HTTP/1.1 404 X\r\nPasssafe-Secrets: warehouse,db\r\nContent-Length: 0\r\n\r\n");
        PasssafeException e = assertThrows(PasssafeException.NoSuchSecret.class, response::ok);
        assertEquals("this safe holds no secret named api; it holds warehouse, db; ask for one of those (no token attempt was spent)", e.getMessage());
        Response malformed = read("/v1/secret/api", "HTTP/1.1 404 X\r\nPasssafe-Secrets: ok,Not\u00e9Valid\r\nContent-Length: 0\r\n\r\n");
        assertEquals("the server's answer was refused: its status has no valid Passsafe-Secrets; use the same passsafe.jar for the server and the client",
                assertThrows(PasssafeException.UnsupportedServer.class, malformed::ok).getMessage(), "a malformed name is never echoed");
    }

    @Test
    void ok_anyOtherStatus_isUnsupportedWithAReadableReasonOnly() throws Exception {
        assertEquals("the server's answer was refused: it answered HTTP 500 (internal error); use the same passsafe.jar for the server and the client",
                assertThrows(PasssafeException.UnsupportedServer.class, () -> answer(500, "", "internal error\n").ok()).getMessage());
        assertTrue(assertThrows(PasssafeException.UnsupportedServer.class, () -> answer(404, "", "\u00e9t\u00e9").ok()).getMessage()
                .contains("(no readable reason)"));
        String longest = "a".repeat(200);
        assertTrue(assertThrows(PasssafeException.UnsupportedServer.class, () -> answer(500, "", longest).ok()).getMessage().contains("(" + longest + ")"));
        assertTrue(assertThrows(PasssafeException.UnsupportedServer.class, () -> answer(500, "", longest + "a").ok()).getMessage()
                .contains("(no readable reason)"), "a reason past 200 characters is not shown");
    }

    @Test
    void status_parse_readsTheFieldsAndRefusesAnythingElse() {
        Protocol.Status status = Protocol.Status.parse(new Protocol.Status(State.USED_UP, 42, 7, 0, 2).encode());
        assertEquals(List.of(State.USED_UP, 42L, 7, 0, 2), List.of(status.state, status.secondsLeft, status.retrievals, status.usesLeft, status.attemptsLeft));
        assertEquals(-1, Protocol.Status.parse(new Protocol.Status(State.OPEN, 1, 0, -1, 3).encode()).usesLeft, "unlimited uses");
        assertEquals("{\"url\":\"http://localhost:1\",\"state\":\"open\",\"seconds_left\":1,\"retrievals\":0,\"uses_left\":null,\"attempts_left\":3,\"replaced\":0,\"rejected\":0}",
                Protocol.Status.parse(new Protocol.Status(State.OPEN, 1, 0, -1, 3).encode()).json("http://localhost:1"));
        for (String body : List.of("", "passsafe-status 2\n", "passsafe-status 1\nstate open\n", "passsafe-status 1\nstate resting\nseconds-left 1\n",
                "passsafe-status 1\nstate open\nseconds-left -1\nretrievals 0\nattempts-left 3\n")) {
            assertThrows(PasssafeException.UnsupportedServer.class, () -> Protocol.Status.parse(body.getBytes(StandardCharsets.US_ASCII)), body);
        }
    }

    @Test
    void reason_eachStatusTheRfc9110Phrase() {
        int[] statuses = {200, 400, 401, 403, 404, 405, 410, 413, 422, 423, 431, 503, 500};
        String[] phrases = {"OK", "Bad Request", "Unauthorized", "Forbidden", "Not Found", "Method Not Allowed", "Gone", "Content Too Large",
            "Unprocessable Content", "Locked", "Request Header Fields Too Large", "Service Unavailable", "Internal Server Error"};
        for (int i = 0; i < statuses.length; i++) {
            assertEquals(phrases[i], Protocol.reason(statuses[i]), "status " + statuses[i]);
        }
    }

    @Test
    void read_atEachLimit_read_onePastRefused() throws Exception {
        assertEquals(200, read("/v1/status", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").status, "a status line of 12 characters, with no phrase");
        assertThrows(PasssafeException.UnsupportedServer.class, () -> read("/v1/status", "HTTP/1.1 20\r\nContent-Length: 0\r\n\r\n"));
        // The head's bytes: the status line and each header line, without their CRLFs.
        String status = "HTTP/1.1 200 OK";
        String length = "Content-Length: 0";
        int pad = Response.MAX_HEAD_BYTES - status.length() - length.length() - "X: ".length();
        assertEquals(200, read("/v1/status", status + "\r\n" + length + "\r\nX: " + "a".repeat(pad) + "\r\n\r\n").status);
        assertThrows(PasssafeException.UnsupportedServer.class,
                () -> read("/v1/status", status + "\r\n" + length + "\r\nX: " + "a".repeat(pad + 1) + "\r\n\r\n"));
        String largest = "a".repeat(Envelope.MAX_SIZE_IN_BYTES);
        assertEquals(Envelope.MAX_SIZE_IN_BYTES, read("/v1/secret", "HTTP/1.1 200 OK\r\nContent-Length: " + largest.length() + "\r\n\r\n" + largest).body.length);
        assertThrows(PasssafeException.UnsupportedServer.class,
                () -> read("/v1/secret", "HTTP/1.1 200 OK\r\nContent-Length: " + (largest.length() + 1) + "\r\n\r\n" + largest + "a"));
    }
}
