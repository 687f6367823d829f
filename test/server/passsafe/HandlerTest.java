package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The request handler on its own, with no transport at all: what any front end (TCP now, others later) gets. */
class HandlerTest {
    private static final int PORT = 8051;
    private static final String HOST = "localhost:" + PORT;
    private static final Request.Peer OWNER = () -> null;
    private static final Request.Peer STRANGER = () -> Refusal.OTHER_USER;

    private final List<String> log = new ArrayList<>();
    private Handler handler;
    private Safe safe;

    @BeforeEach
    void open() {
        handler = new Handler(new Gate(PORT, 1000), log::add);
        safe = SafeTest.newSafe(Duration.ofMinutes(1));
        handler.open(safe);
    }

    private static Request request(String method, String path, Map<String, List<String>> headers, Request.Peer peer) {
        return new Request(method, path, null, headers, peer);
    }

    private static Map<String, List<String>> headers(String token) {
        return token == null ? Map.of("Host", List.of(HOST)) : Map.of("host", List.of(HOST), "passsafe-token", List.of(token));
    }

    private static String body(Reply reply) {
        return new String(reply.body, StandardCharsets.UTF_8);
    }

    @Test
    void handle_rightTokenWithAWrongOrNoKeyCheck_422AndNothingSpent() {
        Map<String, List<String>> wrong = new java.util.HashMap<>(headers("936265"));
        wrong.put("passsafe-key-check", List.of("0".repeat(64)));
        Reply refused = handler.handle(request("POST", "/v1/secret", wrong, OWNER));
        assertEquals(List.of(422, Handler.WRONG_KEY + "\n", "3"), List.of(refused.status, body(refused), refused.headers.get(Protocol.ATTEMPTS_HEADER)));
        wrong.put("passsafe-key-check", List.of("not hex"));
        assertEquals(422, handler.handle(request("POST", "/v1/secret", wrong, OWNER)).status);
        Reply none = handler.handle(request("POST", "/v1/secret", headers("936265"), OWNER));
        assertEquals(List.of(422, Handler.WRONG_KEY + "\n"), List.of(none.status, body(none)));
        String me = Handler.who(true);
        assertEquals(List.of(me + ": wrong passphrase for password (no use spent, 3 attempts left)",
                me + ": wrong passphrase for password (no use spent, 3 attempts left)",
                me + ": wrong passphrase for password (no use spent, 3 attempts left)"), log);
        assertEquals(List.of(0, 3), List.of(safe.status().retrievals, safe.status().attemptsLeft));
    }

    @Test
    void handle_ownerWithRightToken_getsTheEnvelopeAndAttemptsLeft() {
        Map<String, List<String>> headers = new java.util.HashMap<>(headers("936265"));
        headers.put("passsafe-key-check", List.of(KeyCheck.hex(SafeTest.PROOF)));
        Reply reply = handler.handle(request("POST", "/v1/secret", headers, OWNER));
        assertEquals(200, reply.status);
        assertEquals(Protocol.ENVELOPE_TYPE, reply.type);
        assertTrue(body(reply).startsWith("passsafe-envelope 1\n"), body(reply));
        assertEquals("3", reply.headers.get(Protocol.ATTEMPTS_HEADER));
        assertEquals(List.of("alice: retrieved password (3 attempts left)".replace("alice", Handler.who(true))), log);
    }

    @Nested
    class Order {
        @Test
        void handle_gateRefusal_comesBeforePathMethodAndToken() {
            Reply reply = handler.handle(request("GET", "/nowhere", headers("111111"), STRANGER));
            assertEquals(403, reply.status);
            assertEquals(Handler.REFUSED + "\n", body(reply));
            assertTrue(reply.close);
            assertEquals(List.of(), log, "a refusal is counted, not logged");
            assertEquals(3, safe.status().attemptsLeft);
            handler.summarize();
            assertEquals(List.of("refused 1 request in the last minute: 1 from other users, 0 from web pages or with a wrong Host, 0 not from a passsafe client"), log, "a stranger's connection counts as another user's");
        }

        @Test
        void handle_wrongMethod_is405Uncounted() {
            assertEquals(405, handler.handle(request("GET", "/v1/stop", headers("111111"), OWNER)).status);
            assertEquals(405, handler.handle(request("POST", "/v1/status", headers(null), OWNER)).status);
            assertEquals(3, safe.status().attemptsLeft);
        }

        @Test
        void handle_unknownPath_is404ListingThePathsUncounted() {
            Reply reply = handler.handle(request("POST", "/v2/secret", headers("111111"), OWNER));
            assertEquals(404, reply.status);
            assertEquals("not found: the paths are /v1/secret, /v1/replace, /v1/reject, /v1/accept, /v1/status, /v1/stop\n", body(reply));
            assertEquals(null, reply.headers.get(Protocol.SECRETS_HEADER));
        }
    }

    @Test
    void handle_socketPeer_checkedEvenWithoutProcNet() {
        Handler blind = new Handler(new Gate(PORT, -1), log::add);
        blind.open(safe);
        Reply stranger = blind.handle(new Request("POST", "/v1/secret", null, headers("936265"), STRANGER, true));
        assertEquals(403, stranger.status);
        Reply curl = blind.handle(new Request("GET", "/v1/status", null, Map.of("Host", List.of("localhost")), OWNER, true));
        assertEquals(200, curl.status, "through the socket, curl's Host without a port is fine");
        Reply tcp = blind.handle(new Request("GET", "/v1/status", null, Map.of("Host", List.of("localhost")), OWNER, false));
        assertEquals(403, tcp.status, "over TCP it is not");
    }

    @Test
    void handle_nameNotHeld_answersWithTheNamesHeld() {
        Reply reply = handler.handle(request("POST", "/v1/secret/api", headers("936265"), OWNER));
        assertEquals(404, reply.status);
        assertEquals("password", reply.headers.get(Protocol.SECRETS_HEADER));
    }

    @Test
    void handle_endedSafe_saysWhyInAField() {
        safe.end(State.USED_UP);
        Reply reply = handler.handle(request("POST", "/v1/secret", headers("936265"), OWNER));
        assertEquals(410, reply.status);
        assertEquals("used-up", reply.headers.get(Protocol.ENDED_HEADER));
        assertEquals("closed: its uses are used up\n", body(reply));
    }

    @Test
    void handle_status_servedWithoutATokenAsTheClientReadsIt() {
        Reply reply = handler.handle(request("GET", "/v1/status", headers(null), OWNER));
        Protocol.Status status = Protocol.Status.parse(reply.body);
        assertEquals(State.OPEN, status.state);
        assertEquals(3, status.attemptsLeft);
        assertEquals(-1, status.usesLeft);
    }

    /** Each limit at its value and one past it, and each line the owner reads, word for word. */
    @Nested
    class Edges {
        private Map<String, List<String>> withHeaders(String token, int extraLines, int extraBytes) {
            Map<String, List<String>> headers = new java.util.HashMap<>(headers(token));
            for (int i = 0; i < extraLines; i++) {
                headers.put("x-" + i, List.of(""));
            }
            if (extraBytes > 0) {
                headers.put("x-pad", List.of("a".repeat(extraBytes)));
            }
            return headers;
        }

        @Test
        void handle_headerLinesAtTheLimitServed_onePastIs431() {
            // Host and the token are 2 lines; the rest fill up to the limit.
            Reply atLimit = handler.handle(request("GET", "/v1/status", withHeaders("936265", Handler.MAX_HEADER_LINES - 2, 0), OWNER));
            assertEquals(200, atLimit.status);
            Reply past = handler.handle(request("GET", "/v1/status", withHeaders("936265", Handler.MAX_HEADER_LINES - 1, 0), OWNER));
            assertEquals(List.of(431, Handler.HEADERS_TOO_LARGE + "\n"), List.of(past.status, body(past)));
        }

        @Test
        void handle_headerBytesAtTheLimitServed_onePastIs431() {
            Map<String, List<String>> base = withHeaders("936265", 0, 0);
            int used = new Request("GET", "/v1/status", null, base, OWNER).headerBytes() + "x-pad".length() + 4;
            Reply atLimit = handler.handle(request("GET", "/v1/status", withHeaders("936265", 0, Handler.MAX_HEADER_BYTES - used), OWNER));
            assertEquals(200, atLimit.status);
            Reply past = handler.handle(request("GET", "/v1/status", withHeaders("936265", 0, Handler.MAX_HEADER_BYTES - used + 1), OWNER));
            assertEquals(431, past.status);
        }

        @Test
        void handle_bodyAtTheLimitServed_onePastIs413() {
            Map<String, List<String>> headers = new java.util.HashMap<>(headers(null));
            headers.put("Content-Length", List.of(Integer.toString(Handler.MAX_BODY_BYTES)));
            assertEquals(200, handler.handle(request("GET", "/v1/status", headers, OWNER)).status);
            headers.put("Content-Length", List.of(Integer.toString(Handler.MAX_BODY_BYTES + 1)));
            Reply past = handler.handle(request("GET", "/v1/status", headers, OWNER));
            assertEquals(413, past.status);
            assertTrue(past.close, "a body left unread ends the connection");
        }

        @Test
        void handle_framingBothFrontEndsMightReadApart_is400BeforeTheGate() {
            String[][] cases = {{"Host ", "localhost:8051"}, {"Content-Length", "+5"}, {"Content-Length", "05"}, {"Content-Length", "1 2"},
                {"Transfer-Encoding", "chunked"}};
            for (String[] header : cases) {
                Map<String, List<String>> headers = new java.util.HashMap<>(headers("111111"));
                headers.put(header[0], List.of(header[1]));
                if (header[0].equals("Transfer-Encoding")) {
                    headers.put("Content-Length", List.of("0"));
                }
                Reply reply = handler.handle(request("POST", "/v1/secret", headers, STRANGER));
                assertEquals(List.of(400, "bad request: a header name is malformed, or Content-Length is not one plain number\n"),
                        List.of(reply.status, body(reply)), header[0] + ": " + header[1]);
            }
            Map<String, List<String>> twice = new java.util.HashMap<>(headers("111111"));
            twice.put("Content-Length", List.of("0", "0"));
            assertEquals(400, handler.handle(request("POST", "/v1/secret", twice, STRANGER)).status);
            Map<String, List<String>> plain = new java.util.HashMap<>(headers(null));
            plain.put("Content-Length", List.of("0"));
            assertEquals(200, handler.handle(request("GET", "/v1/status", plain, OWNER)).status, "one plain length is well framed");
            assertEquals(3, safe.status().attemptsLeft);
        }

        @Test
        void handle_notAPathOrOptions_refusedBeforeTheGate() {
            Reply star = handler.handle(request("OPTIONS", "*", Map.of(), STRANGER));
            assertEquals(List.of(400, Handler.NOT_HTTP + "\n"), List.of(star.status, body(star)));
            Reply preflight = handler.handle(request("OPTIONS", "/v1/secret", Map.of("Origin", List.of("https://evil.test")), STRANGER));
            assertEquals(List.of(405, "wrong method: use POST\n"), List.of(preflight.status, body(preflight)));
            assertEquals(List.of(3, 0), List.of(safe.status().attemptsLeft, log.size()));
        }

        @Test
        void malformed_eachStatusWithItsLine_countedAsNotAClient() {
            List<String> bodies = new ArrayList<>();
            for (int status : new int[] {Protocol.HEADERS_TOO_LARGE, Protocol.NOT_FOUND, Protocol.BAD_REQUEST}) {
                Reply reply = handler.malformed(status);
                assertEquals(status, reply.status);
                bodies.add(body(reply));
            }
            assertEquals(List.of(Handler.HEADERS_TOO_LARGE + "\n", "not found: the paths are /v1/secret, /v1/replace, /v1/reject, /v1/accept, /v1/status, /v1/stop\n", Handler.NOT_HTTP + "\n"), bodies);
            handler.handle(request("POST", "/v1/secret", Map.of("Host", List.of("evil.test")), OWNER));
            handler.handle(request("POST", "/v1/secret", headers("111111"), STRANGER));
            handler.handle(request("POST", "/v1/secret", headers("111111"), STRANGER));
            assertEquals(List.of(), log, "refusals are counted, not logged one by one");
            handler.summarize();
            handler.summarize();
            assertEquals(List.of("refused 6 requests in the last minute: 2 from other users, 1 from web pages or with a wrong Host,"
                    + " 3 not from a passsafe client"), log, "and a minute with none logs nothing");
        }

        @Test
        void handle_lastUse_saysSoAndTheStopNamesWhoStopped() {
            Safe once = new Safe(SafeTest.RIGHT.clone(), new Safe.Limits(Duration.ofMinutes(1), 1, null), SafeTest.PROOF,
                    Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], 1_000));
            Handler handler = new Handler(new Gate(PORT, 1000), log::add);
            handler.open(once);
            Map<String, List<String>> headers = new java.util.HashMap<>(headers("936265"));
            headers.put("passsafe-key-check", List.of(KeyCheck.hex(SafeTest.PROOF)));
            assertEquals(200, handler.handle(request("POST", "/v1/secret", headers, OWNER)).status);
            assertEquals(410, handler.handle(request("POST", "/v1/stop", headers("936265"), OWNER)).status, "nothing is left to stop");
            Handler open = new Handler(new Gate(PORT, 1000), log::add);
            open.open(new Safe(SafeTest.RIGHT.clone(), new Safe.Limits(Duration.ofMinutes(1), 0, null), SafeTest.PROOF,
                    Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], 1_000)));
            assertEquals(200, open.handle(request("POST", "/v1/stop", headers("936265"), OWNER)).status);
            String me = Handler.who(true);
            assertEquals(List.of(me + ": retrieved password (0 uses left, 3 attempts left); the safe's uses are used up",
                    "refused: its uses are used up", "stopped by a client of user " + me + " (uid 1000)"), log);
            assertEquals("a client", Handler.who(false));
        }
    }
}
