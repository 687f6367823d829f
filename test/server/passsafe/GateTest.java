package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests a web page or a rebinding attack can make: all refused before the token is looked at. */
class GateTest {
    private static final String SECRET = "s3cret-for-the-gate";

    private static void assertRefused(Raw.Response response) {
        assertEquals(403, response.status(), response.head());
        assertEquals(Handler.REFUSED + "\n", response.body());
        assertFalse(response.hasHeader("Access-Control-Allow"), response.head());
    }

    /** The owner's own request still works: nothing above spent an attempt or locked the safe. */
    private static void assertUntouched(Fixture safe) {
        assertEquals(State.OPEN, safe.safe.state());
        assertEquals(SECRET, safe.client().password());
        assertEquals(Token.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT, null, false).attemptsLeft);
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"evil.test:PORT", "evil.test", "0.0.0.0:PORT", "localhost:1", "127.0.0.1", "LOCALHOST.:PORT", "127.0.0.2:PORT", "", "MISSING", "TWICE"})
    void rebindingHosts_refusedWithoutCounting(String host) throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            String request;
            if (host.equals("MISSING")) {
                request = Raw.post(port, null, safe.token, "");
            } else if (host.equals("TWICE")) {
                request = Raw.post(port, "localhost:" + port, safe.token, "Host: evil.test:" + port + "\r\n");
            } else {
                request = Raw.post(port, host.replace("PORT", Integer.toString(port)), safe.token, "");
            }
            assertRefused(Raw.send(port, request));
            assertUntouched(safe);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // a cross-site HTML form post
        "Origin: http://evil.test\r\nReferer: http://evil.test/form\r\nContent-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Site: cross-site\r\n",
        // fetch(url, {mode: 'no-cors', method: 'POST'})
        "Origin: http://evil.test\r\nSec-Fetch-Mode: no-cors\r\nSec-Fetch-Site: cross-site\r\nSec-Fetch-Dest: empty\r\n",
        // a sandboxed iframe or a file: page
        "Origin: null\r\n",
        "Referer: http://evil.test/\r\n",
        "Cookie: session=1\r\n",
        "Sec-Fetch-Site: same-origin\r\n",
        "Upgrade: websocket\r\nConnection: Upgrade\r\n",
    })
    void browserHeaderSets_replayedTenTimesWithWrongTokens_neverLock(String headers) throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            for (int i = 0; i < 10; i++) {
                assertRefused(Raw.send(port, Raw.post(port, "localhost:" + port, safe.wrongToken(), headers)));
            }
            assertUntouched(safe);
        }
    }

    @Test
    void options_gets405AndNoCorsGrant() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            Raw.Response response = Raw.send(port, "OPTIONS /v1/secret HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                    + "Origin: http://evil.test\r\nAccess-Control-Request-Method: POST\r\n"
                    + "Access-Control-Request-Headers: passsafe-token\r\nConnection: close\r\n\r\n");
            assertEquals(405, response.status());
            assertFalse(response.hasHeader("Access-Control-Allow"), response.head());
            assertUntouched(safe);
        }
    }

    @Test
    void refusals_areByteIdenticalWhateverTheSafesState() throws Exception {
        List<String> bodies = new ArrayList<>();
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            String request = Raw.post(port, "evil.test:" + port, safe.token, "Origin: http://evil.test\r\n");
            bodies.add(Raw.send(port, request).body());
            Client wrong = safe.client(safe.passphrase, safe.wrongToken());
            for (int i = 0; i < 3; i++) {
                try {
                    wrong.password();
                } catch (PasssafeException expected) {
                    // two invalid tokens, then locked
                }
            }
            assertEquals(State.LOCKED, safe.safe.state());
            bodies.add(Raw.send(port, request).body());
        }
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            safe.safe.end(State.EXPIRED);
            assertEquals(State.EXPIRED, safe.safe.state());
            bodies.add(Raw.send(port, Raw.post(port, "evil.test:" + port, safe.token, "Origin: http://evil.test\r\n")).body());
        }
        assertEquals(List.of(Handler.REFUSED + "\n", Handler.REFUSED + "\n", Handler.REFUSED + "\n"), bodies);
    }

    @Test
    void realClientRequest_passesTheGate() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            assertEquals(SECRET, safe.client().password());
            assertTrue(safe.log.get(0).contains(": retrieved password"), safe.log.toString());
        }
    }

    @Nested
    class WhoIsChecked {
        private final Refusal stranger = Refusal.OTHER_USER;
        private final Request.Peer strangerPeer = () -> stranger;

        private Request request(String host, boolean viaSocket) {
            return new Request("POST", "/v1/secret", null, Map.of("Host", List.of(host)), strangerPeer, viaSocket);
        }

        @Test
        void refusal_uidZero_stillChecksTheTcpPeer() {
            // root's uid is 0: a safe run as root must still refuse another user's TCP peer.
            Gate gate = new Gate(8051, 0);
            assertTrue(gate.checksUsers());
            assertSame(stranger, gate.refusal(request("localhost:8051", false)));
            assertTrue(gate.admitted().endsWith("(uid 0)"), gate.admitted());
        }

        @Test
        void refusal_ownersUnknown_tcpOnTheTokenAloneButTheSocketStillChecked() {
            Gate gate = new Gate(8051, -1);
            assertFalse(gate.checksUsers());
            assertNull(gate.refusal(request("localhost:8051", false)));
            assertSame(stranger, gate.refusal(request("localhost", true)), "the socket's peer is always known");
            assertEquals("a client with the right token", gate.admitted());
        }

        @Test
        void refusal_socketHostsWithoutAPort_onlyThroughTheSocket() {
            Gate gate = new Gate(8051, 1000);
            assertSame(Refusal.HOST, gate.refusal(request("localhost", false)));
            assertSame(stranger, gate.refusal(request("[::1]", true)));
            assertSame(Refusal.HOST, gate.refusal(request("localhost:8052", true)));
            assertEquals("a client of user " + System.getProperty("user.name") + " (uid 1000)", gate.admitted());
        }

        @Test
        void refusal_secFetchHeaderOfAnyCase_isABrowser() {
            Gate gate = new Gate(8051, 1000);
            Request request = new Request("POST", "/v1/secret", null, Map.of("Host", List.of("localhost:8051"), "SEC-FETCH-USER", List.of("?1")),
                    () -> null, false);
            assertSame(Refusal.BROWSER, gate.refusal(request));
        }
    }
}
