package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A session file that a killed safe left behind never makes the user's programs spend the next
 * safe's attempts: it is removed when a safe starts on its port, and a client checks that a file
 * belongs to the safe that answers before it sends the token.
 */
class StaleSessionTest {
    private static Path fileOf(int port) {
        return PrivateDirectory.Kind.SESSION.in(PrivateDirectory.candidates(System.getenv()).get(0), port);
    }

    /** {@code setsid -w ./passsafe.sh get --port P < /dev/null}: a notebook kernel's or a cron job's call, with no terminal. */
    private static Cli.Run detachedGet(int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("setsid", "-w", "./passsafe.sh", "get", "--port", Integer.toString(port))
                .redirectInput(new File("/dev/null"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().keySet().removeIf(name -> name.startsWith("PASSSAFE_"));
        return Processes.run(builder);
    }

    private static JarServer startOn(int port, String secret, String... options) throws Exception {
        List<String> command = JarServer.jar(options);
        command.addAll(List.of("--port", Integer.toString(port)));
        // The killed safe's port may take a moment to be free again: a bounded wait.
        for (int attempt = 1; ; attempt++) {
            try {
                return JarServer.started("5\n" + secret + "\n", command);
            } catch (RuntimeException | AssertionError | java.io.IOException notYet) {
                if (attempt == 20) {
                    throw notYet;
                }
                Thread.sleep(250);
            }
        }
    }

    @Test
    void killedSessionSafe_nextSafeOnItsPort_noCallSpendsAnAttempt() throws Exception {
        JarServer killed = JarServer.started("5\nold-secret\n", JarServer.jar("--session"));
        int port = killed.port;
        Path file = fileOf(port);
        assertTrue(Files.exists(file));
        String stale = Files.readString(file, StandardCharsets.UTF_8);
        killed.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(file), "kill -9 leaves the file behind");

        try (JarServer next = startOn(port, "new-secret")) {
            assertFalse(Files.exists(file), "the new safe removed the stale file as it started");
            // Put it back, as a race with a killed safe could: the clients must not trust it either.
            Files.writeString(file, stale, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            for (int i = 0; i < 3; i++) {
                Cli.Run get = detachedGet(port);
                assertEquals(1, get.status(), get.err());
                assertEquals("", get.out());
                assertEquals("passsafe: error: the session file " + file + " cannot be used: a safe that has ended left it, not the one at"
                        + " http://localhost:" + port + "; no token was sent; remove it and start the safe again with passsafe --session\n", get.err());
            }
            PasssafeException local = org.junit.jupiter.api.Assertions.assertThrows(PasssafeException.NoSession.class,
                    () -> Client.local("http://localhost:" + port));
            assertTrue(local.getMessage().contains("a safe that has ended left it"), local.getMessage());
            Transport status = new Transport(LoopbackUrl.localhost(port), Transport.DEFAULT_DEADLINE);
            try {
                assertEquals(3, Protocol.Status.parse(status.send("GET", Protocol.Endpoint.STATUS.path, null).ok()).attemptsLeft, "no attempt was spent");
            } finally {
                status.close();
            }
            assertEquals("new-secret", next.client().password());
        }
        Files.writeString(file, stale, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (JarServer third = startOn(port, "third-secret", "--session")) {
            assertFalse(Files.readString(file, StandardCharsets.UTF_8).equals(stale), "the new session's file replaced the stale one");
            Cli.Run get = detachedGet(third.port);
            assertEquals(0, get.status(), get.err());
            assertEquals("third-secret", get.out());
        }
        assertFalse(Files.exists(file), "and it goes when that safe ends");
    }
}
