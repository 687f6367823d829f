package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        env = Map.of(SocketDirectory.RUNTIME_DIR, runtime.toString());
        dir = SafeDirectory.prepare(env, note -> { });
    }

    private void write(String text, String mode) throws Exception {
        Path file = SessionFile.path(dir, PORT);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    @Test
    void find_whatTheServerWrote_isThePassphraseAndToken() throws Exception {
        Path file = SessionWriter.write(dir, PORT, WORDS, Token.ascii(936265), "0123456789abcdef");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (SessionFile.Contents session = SessionFile.find(env, PORT)) {
            assertEquals(new String(WORDS), new String(session.passphrase));
            assertEquals("936265", session.token);
            assertEquals("0123456789abcdef", session.session);
            assertEquals(file, session.file);
        }
    }

    @Test
    void find_noFileForThePort_isNull() throws Exception {
        SessionWriter.write(dir, PORT, WORDS, Token.ascii(936265), "0123456789abcdef");
        assertNull(SessionFile.find(env, PORT + 1));
    }

    @Test
    void find_notASessionFile_isOneLineSayingWhatToDo() throws Exception {
        for (String text : new String[] {"", "passsafe-session 2\npassphrase a\ntoken 1\nurl x\n", "passsafe-session 1\npassphrase a\ntoken 1\n",
            "passsafe-session 1\ntoken 1\npassphrase a\nurl x\n", "x".repeat(2000)}) {
            write(text, "rw-------");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SessionFile.find(env, PORT));
            assertEquals("the session file " + SessionFile.path(dir, PORT) + " cannot be used: it is not a passsafe session file;"
                    + " remove it and start the safe again with passsafe --session", e.getMessage());
        }
    }

    @Test
    void find_othersMayRead_isRefusedNotRead() throws Exception {
        write("passsafe-session 1\npassphrase orbit copper ribbon flute wealth slice\ntoken 936265\nurl http://localhost:18051\n", "rw-r--r--");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SessionFile.find(env, PORT));
        assertTrue(e.getMessage().contains("cannot be used: others may read it (rw-r--r--)"), e.getMessage());
    }

    @Test
    void find_notValidUtf8_isRefused() throws Exception {
        Path file = SessionFile.path(dir, PORT);
        Files.write(file, new byte[] {'p', (byte) 0xff, '\n'});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SessionFile.find(env, PORT));
        assertTrue(e.getMessage().endsWith("cannot be used: it is not a passsafe session file; remove it and start the safe again with passsafe --session"),
                e.getMessage());
    }
}
