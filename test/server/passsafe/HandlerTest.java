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
    private static final Request.Peer STRANGER = () -> Refusal.otherUser("stranger");

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
    void handle_rightTokenWithAWrongOrNoKeyCheck_422Or426AndNothingSpent() {
        Map<String, List<String>> wrong = new java.util.HashMap<>(headers("936265"));
        wrong.put("passsafe-key-check", List.of("0".repeat(64)));
        Reply refused = handler.handle(request("POST", "/v1/secret", wrong, OWNER));
        assertEquals(List.of(422, Handler.WRONG_KEY + "\n", "3"), List.of(refused.status, body(refused), refused.headers.get(Protocol.ATTEMPTS_HEADER)));
        wrong.put("passsafe-key-check", List.of("not hex"));
        assertEquals(422, handler.handle(request("POST", "/v1/secret", wrong, OWNER)).status);
        Reply old = handler.handle(request("POST", "/v1/secret", headers("936265"), OWNER));
        assertEquals(List.of(426, Handler.UPGRADE + "\n"), List.of(old.status, body(old)));
        String me = Handler.who(true);
        assertEquals(List.of(me + ": wrong passphrase for password (no use spent, 3 attempts left)",
                me + ": wrong passphrase for password (no use spent, 3 attempts left)",
                me + ": an older client asked for password without a key check; refused, no use spent"), log);
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
            assertEquals("not found: the paths are /v1/secret, /v1/status, /v1/stop\n", body(reply));
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
        assertEquals("open", status.state);
        assertEquals(3, status.attemptsLeft);
        assertEquals(-1, status.usesLeft);
    }
}
