package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
        assertEquals(Token.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT, null).attemptsLeft);
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
}
