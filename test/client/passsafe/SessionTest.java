package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionTest {
    private static final String SECRET = "session-secret";

    private static Cli.Running session(String... options) throws Exception {
        String[] all = new String[options.length + 1];
        all[0] = "--session";
        System.arraycopy(options, 0, all, 1, options.length);
        return new Cli.Running(Duration.ofMinutes(1), "5\n" + SECRET + "\n", all);
    }

    private static Path fileOf(int port) {
        return PrivateDirectory.Kind.SESSION.in(PrivateDirectory.candidates(Map.of()).get(0), port);
    }

    @Test
    void session_started_writesAFileOnlyTheUserCanRead() throws Exception {
        try (Cli.Running safe = session()) {
            Path file = fileOf(safe.port());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)));
            assertEquals(ProcNet.realUid(), Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertTrue(text.matches("passsafe-session 2\nkey [0-9a-f]{64}\nsalt [0-9a-f]{32}\niterations " + Fixture.CHEAP + "\ntoken "
                    + safe.announced().token().replace(" ", "") + "\nsession [0-9a-f]{16}\n"), text);
            assertFalse(Fixture.showsPassphrase(text, safe.announced().passphrase()), "the file holds the key, not the passphrase");
            assertTrue(safe.out.text().contains("Session: this safe's key and token are also in " + file), safe.out.text());
        }
    }

    @Test
    void session_clientLocalAndGet_needNoCredential() throws Exception {
        try (Cli.Running safe = session()) {
            try (Client client = new Locator(Map.of(), null, Fixture.CHEAP).client(LoopbackUrl.parse(safe.announced().url()), false)) {
                assertEquals(SECRET, client.password());
            }
            Cli.Run get = Cli.command(Map.of(), "get", "--port", Integer.toString(safe.port()));
            assertEquals(0, get.status(), get.err());
            assertEquals(SECRET, get.out());
        }
    }

    @Test
    void session_notAsked_noFileAndNoWayInWithoutCredentials() throws Exception {
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\n" + SECRET + "\n")) {
            assertFalse(Files.exists(fileOf(safe.port())));
            Cli.Run get = Cli.command(Map.of(), "get", "--port", Integer.toString(safe.port()));
            assertEquals(1, get.status());
            String noSession = "no passsafe session for http://localhost:" + safe.port() + ", no PASSSAFE_PASSPHRASE and PASSSAFE_TOKEN,"
                    + " and no terminal to ask on: start the safe with passsafe --session, or set both variables";
            assertEquals("passsafe: error: " + noSession + "\n", get.err());
            PasssafeException e = assertThrows(PasssafeException.NoSession.class,
                    () -> new Locator(Map.of(), null, Fixture.CHEAP).client(LoopbackUrl.parse(safe.announced().url()), false));
            assertEquals(noSession, e.getMessage());
        }
    }

    @Nested
    class RemovedAtEveryEnd {
        @Test
        void sessionFile_stop_isRemoved() throws Exception {
            Cli.Running safe = session();
            Path file = fileOf(safe.port());
            assertTrue(Files.exists(file));
            safe.close();
            assertFalse(Files.exists(file));
        }

        @Test
        void sessionFile_expiry_isRemoved() throws Exception {
            Cli.Running safe = new Cli.Running(Duration.ofMillis(100), "1\n" + SECRET + "\n", "--session");
            Path file = fileOf(safe.port());
            assertEquals(0, safe.end().status());
            assertFalse(Files.exists(file));
        }

        @Test
        void sessionFile_usedUp_isRemovedAndTheRecordSaysWhy() throws Exception {
            try (Cli.Running safe = session("--uses", "1")) {
                Path file = fileOf(safe.port());
                assertEquals(SECRET, Cli.command(Map.of(), "get", "--port", Integer.toString(safe.port())).out());
                safe.out.await("The safe's uses are used up", Duration.ofSeconds(10));
                assertFalse(Files.exists(file), "the file went with the last use");
                Cli.Run after = Cli.command(Map.of(), "get", "--port", Integer.toString(safe.port()));
                assertEquals(1, after.status());
                assertTrue(after.err().startsWith("passsafe: error: the safe on port " + safe.port() + ", which ended at "), after.err());
                assertTrue(after.err().endsWith(", no longer holds its secrets: its uses are used up; start a new safe and use the passphrase"
                        + " and token it prints\n"), after.err());
            }
        }
    }

    @Test
    void sessionFile_othersMayRead_refusedInOneLine() throws Exception {
        try (Cli.Running safe = session()) {
            Path file = fileOf(safe.port());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            Cli.Run get = Cli.command(Map.of(), "get", "--port", Integer.toString(safe.port()));
            assertEquals(1, get.status());
            assertEquals("passsafe: error: the session file " + file + " cannot be used: others may read it (rw-r--r--);"
                    + " remove it and start the safe again with passsafe --session\n", get.err());
            assertThrows(PasssafeException.NoSession.class,
                    () -> new Locator(Map.of(), null, Fixture.CHEAP).client(LoopbackUrl.parse(safe.announced().url()), false));
        }
    }
}
