package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A safe ended by a limit (used up, locked, idle) exits after its grace period and frees its
 * port; a client that comes later still learns why, from the note it left, which nothing takes
 * for a running safe. A one-second minute: the grace is a sixth of a second, the duration 30 s.
 */
class EndedTest {
    private static final String SECRET = "ended-" + Long.toHexString(System.nanoTime());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"used-up", "locked", "idle"})
    void endedByALimit_exitsFreesItsPortAndClientsStillLearnWhy(String limit) throws Exception {
        List<String> options = limit.equals("used-up") ? List.of("--uses", "1") : limit.equals("idle") ? List.of("--idle", "1m") : List.of();
        try (Cli.Running safe = new Cli.Running(Duration.ofSeconds(1), "30\n" + SECRET + "\n", options.toArray(new String[0]))) {
            int port = safe.port();
            if (limit.equals("used-up")) {
                assertEquals(SECRET, safe.client().password());
            } else if (limit.equals("locked")) {
                Client wrong = new Client(safe.announced().passphrase(), safe.announced().token().equals("111 111") ? "222222" : "111111",
                        "http://localhost:" + port, Fixture.CHEAP);
                for (int i = 0; i < Token.MAX_ATTEMPTS; i++) {
                    assertThrows(PasssafeException.class, wrong::password);
                }
            }
            Cli.Run ended = safe.end();
            assertEquals(limit.equals("locked") ? 1 : 0, ended.status(), ended.out() + ended.err());
            assertTrue(ended.out().contains("the password is wiped from memory."), ended.out());

            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, again.getLocalPort(), "the port is free again");
            }
            State state = State.of(limit);
            PasssafeException e = assertThrows(PasssafeException.class, () -> safe.client().password());
            assertEquals(PasssafeException.ended(state, "on port " + port + ", which ended at " + e.getMessage().split("which ended at ")[1].substring(0, 5) + ",")
                    .getMessage(), e.getMessage());
            Cli.Run status = Cli.command(Map.of(), "status", "--port", Integer.toString(port));
            assertEquals(List.of(1, "passsafe: error: " + e.getMessage() + "\n"), List.of(status.status(), status.err()));
            assertFalse(Cli.command(Map.of(), "list").out().contains(":" + port + " "), "the note is no running safe");

            Path note = notePath(port);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(note)));
            PrivateDirectory.removeStale(System.getenv(), port);
            assertFalse(Files.exists(note), "the next safe on the port removes it");
            assertThrows(PasssafeException.NoServer.class, () -> safe.client().password());
        }
    }

    private static Path notePath(int port) {
        for (Path dir : PrivateDirectory.candidates(System.getenv())) {
            if (Files.exists(PrivateDirectory.Kind.ENDED.in(dir, port))) {
                return PrivateDirectory.Kind.ENDED.in(dir, port);
            }
        }
        throw new AssertionError("no note for port " + port + " in " + PrivateDirectory.candidates(System.getenv()));
    }
}
