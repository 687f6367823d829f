package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients given no URL, port or PASSSAFE_URL find the user's one running safe, whatever its port. */
class DiscoveryTest {
    private static final String SECRET = "found-secret";

    @BeforeEach
    void needSocketsAndNoOtherSafe() {
        Assumptions.assumeTrue(UnixSockets.available(), "skipped: this JDK has no Unix-domain sockets");
        Assumptions.assumeTrue(new Locator(Map.of(), null, Fixture.CHEAP).running().isEmpty(), "skipped: a safe of this user already runs here");
    }

    private static Map<String, String> credentials(Cli.Running safe) {
        Map<String, String> env = new HashMap<>();
        env.put(Locator.PASSPHRASE, safe.announced().passphrase());
        env.put(Locator.TOKEN, safe.announced().token());
        return env;
    }

    @Test
    void clients_oneSafeOnAnyPort_findItWithNoUrl() throws Exception {
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\n" + SECRET + "\n", "--session")) {
            Cli.Run get = Cli.command(credentials(safe), "get");
            assertEquals(0, get.status(), get.err());
            assertEquals(SECRET, get.out());
            Cli.Run exec = Cli.command(credentials(safe), "exec", "--", "sh", "-c", "test \"$PASSSAFE_PASSWORD\" = " + SECRET);
            assertEquals(0, exec.status(), exec.err());
            Cli.Run status = Cli.command(Map.of(), "status");
            assertTrue(status.out().startsWith("passsafe at http://localhost:" + safe.port() + ": open\n"), status.out());
            try (Client client = new Locator(Map.of(), null, Fixture.CHEAP).client(null, false)) {
                assertEquals(SECRET, client.password());
            }
            Cli.Run list = Cli.command(Map.of(), "list");
            assertTrue(list.out().matches("http://localhost:" + safe.port() + "  open  process " + ProcessHandle.current().pid()
                    + "  time left [0-9:]+  retrievals 3  attempts left 3\n"), list.out());
            Cli.Run stop = Cli.command(credentials(safe), "stop");
            assertEquals(0, stop.status(), stop.err());
            assertEquals("passsafe: the safe at http://localhost:" + safe.port() + " is stopped and its secrets wiped\n", stop.out());
        }
    }

    @Test
    void clients_twoSafes_oneErrorListingBoth() throws Exception {
        try (Cli.Running one = new Cli.Running(Duration.ofMinutes(1), "5\none\n"); Cli.Running two = new Cli.Running(Duration.ofMinutes(1), "5\ntwo\n")) {
            Cli.Run get = Cli.command(credentials(one), "get");
            assertEquals(1, get.status());
            int low = Math.min(one.port(), two.port());
            int high = Math.max(one.port(), two.port());
            assertTrue(get.err().matches("passsafe: error: 2 safes of yours are running: http://localhost:" + low + " \\(open, [0-9:]+ left\\),"
                    + " http://localhost:" + high + " \\(open, [0-9:]+ left\\); say which with --port N, PASSSAFE_URL=http://localhost:N,"
                    + " or passsafe.Client.local\\(\"http://localhost:N\"\\)\n"), get.err());
            assertEquals("", get.out());
            PasssafeException local = assertThrows(PasssafeException.SeveralSafes.class, () -> new Locator(Map.of(), null, Fixture.CHEAP).client(null, false));
            assertTrue(local.getMessage().startsWith("2 safes of yours are running: "), local.getMessage());
            String json = Cli.command(Map.of(), "list", "--json").out();
            assertTrue(json.startsWith("[{\"url\":\"http://localhost:" + low + "\",\"state\":\"open\"") && json.contains("},{\"url\":\"http://localhost:" + high)
                    && json.endsWith("}]\n"), json);
            assertEquals("two", Cli.command(credentials(two), "get", "--port", Integer.toString(two.port())).out(), "a port still wins");
        }
    }

    @Test
    void clients_noSafe_listSaysSoAndGetTriesTheDefaultPort() {
        Cli.Run list = Cli.command(Map.of(), "list");
        assertEquals(0, list.status());
        assertEquals(Text.NONE_RUNNING + "\n", list.out());
        assertEquals("[]\n", Cli.command(Map.of(), "list", "--json").out());
    }

    @Test
    void clients_aStaleSocketBesideALiveSafe_isNotChosen() throws Exception {
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\n" + SECRET + "\n")) {
            Path dir = PrivateDirectory.find(Map.of(), safe.port(), PrivateDirectory.Kind.SOCKET).getParent();
            Path stale = PrivateDirectory.Kind.SOCKET.in(dir, Fixture.closedPort());
            UnixSockets.listen(stale).close();
            try {
                assertTrue(Files.exists(stale));
                assertEquals(1, new Locator(Map.of(), null, Fixture.CHEAP).running().size());
                Cli.Run get = Cli.command(credentials(safe), "get");
                assertEquals(0, get.status(), get.err());
                assertEquals(SECRET, get.out());
                assertFalse(Cli.command(Map.of(), "list").out().contains(stale.getFileName().toString().replace(".sock", "")));
            } finally {
                Files.deleteIfExists(stale);
            }
        }
    }

    @Test
    void clients_aStaleSocketOfAPortAnotherProgramNowHolds_neverConnectThere() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path stale = PrivateDirectory.Kind.SOCKET.in(PrivateDirectory.prepare(Map.of(), note -> { }), other.getLocalPort());
            UnixSockets.listen(stale).close();
            try {
                assertTrue(Files.exists(stale));
                assertTrue(new Locator(Map.of(), null, Fixture.CHEAP).running().isEmpty());
                assertEquals(Text.NONE_RUNNING + "\n", Cli.command(Map.of(), "list").out());
                // Every connection made has been made by now: one the probes made would be waiting here.
                other.setSoTimeout(200);
                assertThrows(SocketTimeoutException.class, other::accept, "a probe connected to the port over TCP");
            } finally {
                Files.deleteIfExists(stale);
            }
        }
    }
}
