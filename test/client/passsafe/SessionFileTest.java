package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session file as the server writes it and a client reads it, in a runtime directory of the test's own. */
class SessionFileTest {
    private static final int PORT = 18051;
    private static final char[] WORDS = "orbit copper ribbon flute wealth slice".toCharArray();

    @TempDir
    Path runtime;
    private Map<String, String> env;
    private Path dir;

    @BeforeEach
    void prepare() throws Exception {
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        env = Map.of(PrivateDirectory.RUNTIME_DIR, runtime.toString());
        dir = PrivateDirectory.prepare(env, note -> { });
    }

    /** What a --session safe on PORT writes for {@code sealer}'s key and the token 936265. */
    private static Path written(Path dir, Sealer sealer) throws Exception {
        byte[] key = sealer.key();
        try {
            return SessionFile.write(dir, PORT, key, sealer.salt(), sealer.iterations(), Token.ascii(936265), "0123456789abcdef");
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    private void write(String text, String mode) throws Exception {
        Path file = PrivateDirectory.Kind.SESSION.in(dir, PORT);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    @Test
    void find_whatTheServerWrote_isTheKeyThatOpensItsEnvelopesAndTheToken() throws Exception {
        try (Sealer sealer = new Sealer(WORDS, Fixture.CHEAP)) {
            Path file = written(dir, sealer);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String text = Files.readString(file);
            assertTrue(text.matches("passsafe-session 2\nkey [0-9a-f]{64}\nsalt [0-9a-f]{32}\niterations 1000\ntoken 936265\n"
                    + "session 0123456789abcdef\n"), text);
            assertFalse(text.contains("orbit"), "the file holds the key, not the passphrase");
            Envelope envelope = sealer.seal(Names.DEFAULT, "sealed".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (SessionFile.Contents session = SessionFile.find(env, PORT)) {
                assertArrayEquals(Kdf.derive(WORDS, sealer.salt(), Fixture.CHEAP), session.key);
                assertEquals(List.of("936265", "0123456789abcdef", file, Fixture.CHEAP), List.of(session.token, session.session, session.file, session.iterations));
                try (Opener opener = new Opener(session.key, session.salt, session.iterations, Fixture.CHEAP)) {
                    opener.keyCheck(() -> {
                        throw new AssertionError("a session's key needs no status");
                    });
                    assertEquals("sealed", new String(opener.open(envelope.encode(), Names.DEFAULT)));
                }
            }
        }
    }

    @Test
    void find_noFileForThePort_isNull() throws Exception {
        try (Sealer sealer = new Sealer(WORDS, Fixture.CHEAP)) {
            written(dir, sealer);
        }
        assertNull(SessionFile.find(env, PORT + 1));
    }

    @Test
    void find_notASessionFile_isOneLineSayingWhatToDo() throws Exception {
        String key = "ab".repeat(32);
        String salt = "cd".repeat(16);
        String good = "passsafe-session 2\nkey " + key + "\nsalt " + salt + "\niterations 1000\ntoken 936265\nsession 0123456789abcdef\n";
        for (String text : new String[] {"", good.replace(key, key.substring(1)), good.replace(key, key.replace('a', 'G')),
            good.replace(key, key.toUpperCase(java.util.Locale.ROOT)), good.replace(salt, salt + "00"), good.replace("iterations 1000", "iterations 0"),
            good.replace("token 936265", "token 93626"), good.replace("\nsession 0123456789abcdef\n", "\n"), good + "extra\n",
            good.replace("\nsalt ", "\nsalts "), good.substring(0, good.length() - 1), "x".repeat(2000),
            // a key renamed to one of its own length, a file too short for a first line, one with no newline at all
            good.replace("\ntoken ", "\ntokex "), good.replace("\nsession ", "\nsessio "), "x\n", "passsafe-session 1", "passsafe-session 2"}) {
            write(text, "rw-------");
            PasssafeException e = assertThrows(PasssafeException.NoSession.class, () -> SessionFile.find(env, PORT), text);
            assertEquals("the session file " + PrivateDirectory.Kind.SESSION.in(dir, PORT) + " cannot be used: it is not a passsafe session file;"
                    + " remove it and start the safe again with passsafe --session", e.getMessage());
        }
        write(good, "rw-------");
        SessionFile.find(env, PORT).close();
    }

    @Test
    void find_othersMayRead_isRefusedNotRead() throws Exception {
        write("passsafe-session 1\npassphrase orbit copper ribbon flute wealth slice\ntoken 936265\nurl http://localhost:18051\n", "rw-r--r--");
        PasssafeException e = assertThrows(PasssafeException.NoSession.class, () -> SessionFile.find(env, PORT));
        assertTrue(e.getMessage().contains("cannot be used: others may read it (rw-r--r--)"), e.getMessage());
    }

    @Test
    void find_notValidUtf8_isRefused() throws Exception {
        Path file = PrivateDirectory.Kind.SESSION.in(dir, PORT);
        Files.write(file, new byte[] {'p', (byte) 0xff, '\n'});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        PasssafeException e = assertThrows(PasssafeException.NoSession.class, () -> SessionFile.find(env, PORT));
        assertTrue(e.getMessage().endsWith("cannot be used: it is not a passsafe session file; remove it and start the safe again with passsafe --session"),
                e.getMessage());
    }
}
