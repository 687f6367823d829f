package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The note an ended safe leaves: read only while fresh, only when the user's alone, only when well-formed. */
class EndedNoteTest {
    private static final int PORT = 41234;
    private static final long NOW = 1_800_000_000_000L;
    private Map<String, String> env;
    private Path dir;

    @BeforeEach
    void privateDirectory(@TempDir Path tmp) throws Exception {
        env = Map.of(SocketDirectory.RUNTIME_DIR, tmp.toString());
        dir = Files.createDirectory(tmp.resolve("passsafe"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void find_freshNote_saysWhyUntilTheDurationEnds() throws Exception {
        EndedNote.write(dir, PORT, State.USED_UP, NOW + 60_000);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(EndedNote.path(dir, PORT))));
        assertEquals(State.USED_UP, EndedNote.find(env, PORT, NOW));
        assertNull(EndedNote.find(env, PORT, NOW + 60_000), "stale at the end of the safe's duration");
        assertNull(EndedNote.find(env, PORT + 1, NOW), "another port's safe");
        assertEquals("the safe no longer holds its secrets: its uses are used up; start a new safe and use the passphrase and token it prints",
                EndedNote.explained(State.USED_UP).getMessage());
        assertEquals(new PasssafeException.Locked().getMessage(), EndedNote.explained(State.LOCKED).getMessage());
    }

    @Test
    void find_noteOthersMayRead_isPassedOver() throws Exception {
        EndedNote.write(dir, PORT, State.LOCKED, NOW + 60_000);
        Files.setPosixFilePermissions(EndedNote.path(dir, PORT), PosixFilePermissions.fromString("rw-r--r--"));
        assertNull(EndedNote.find(env, PORT, NOW));
    }

    @Test
    void find_malformedOrNotALimit_isPassedOver() throws Exception {
        for (String text : new String[] {"passsafe-ended 1\nstate open\nuntil 1900000000000\n", "passsafe-ended 2\nstate idle\nuntil 1900000000000\n",
                "passsafe-ended 1\nstate idle\nuntil soon\n", "passsafe-ended 1\nstate nope\nuntil 1900000000000\n",
                "passsafe-ended 1\nstate idle\nuntil 1900000000000\nextra\n", "x".repeat(300), ""}) {
            Path note = EndedNote.path(dir, PORT);
            Files.deleteIfExists(note);
            Files.write(Files.createFile(note, PosixFilePermissions.asFileAttribute(SessionFile.OWNER_ONLY)), text.getBytes(StandardCharsets.US_ASCII));
            assertNull(EndedNote.find(env, PORT, NOW), text);
        }
    }

    @Test
    void remove_takesTheNoteAway() throws Exception {
        EndedNote.write(dir, PORT, State.IDLE, NOW + 60_000);
        EndedNote.remove(env, PORT);
        assertFalse(Files.exists(EndedNote.path(dir, PORT)));
        assertNull(EndedNote.find(env, PORT, NOW));
    }
}
