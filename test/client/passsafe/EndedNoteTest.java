package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record an ended safe leaves: read only when the user's alone and well-formed, saying where, when and how. */
class EndedNoteTest {
    private static final int PORT = 41234;
    private Map<String, String> env;
    private Path dir;

    @BeforeEach
    void privateDirectory(@TempDir Path tmp) throws Exception {
        env = Map.of(PrivateDirectory.RUNTIME_DIR, tmp.toString(), "TMPDIR", tmp.resolve("none").toString(), "HOME", tmp.resolve("none").toString());
        dir = Files.createDirectory(tmp.resolve("passsafe"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void find_record_saysWhereWhenAndHow() throws Exception {
        EndedNote.write(dir, PORT, State.USED_UP);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(PrivateDirectory.Kind.ENDED.in(dir, PORT))));
        String at = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm"));
        PasssafeException ended = EndedNote.find(env, PORT);
        assertTrue(ended instanceof PasssafeException.Closed, String.valueOf(ended));
        assertEquals(PasssafeException.Closed.Reason.USED_UP, ((PasssafeException.Closed) ended).reason());
        // The minute may turn between the write and the read: either reading is right.
        String expected = "the safe on port " + PORT + ", which ended at %s, no longer holds its secrets: its uses are used up;"
                + " start a new safe and use the passphrase and token it prints";
        String now = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm"));
        assertTrue(ended.getMessage().equals(String.format(expected, at)) || ended.getMessage().equals(String.format(expected, now)), ended.getMessage());
        assertNull(EndedNote.find(env, PORT + 1), "another port's safe");
    }

    @Test
    void last_theNewestRecordOfAnyPort_andItsDateWhenNotToday() throws Exception {
        EndedNote.write(dir, PORT, State.LOCKED);
        EndedNote.write(dir, PORT + 1, State.EXPIRED);
        Files.setLastModifiedTime(PrivateDirectory.Kind.ENDED.in(dir, PORT), FileTime.fromMillis(System.currentTimeMillis() - 3 * 86_400_000L));
        assertTrue(EndedNote.last(env).getMessage().startsWith("the safe on port " + (PORT + 1) + ", which ended at "), "the newer one");
        Files.delete(PrivateDirectory.Kind.ENDED.in(dir, PORT + 1));
        PasssafeException locked = EndedNote.last(env);
        assertTrue(locked instanceof PasssafeException.Locked, String.valueOf(locked));
        assertTrue(locked.getMessage().matches("the safe on port " + PORT + ", which ended at [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2},"
                + " is locked after 3 invalid tokens: .*"), locked.getMessage());
    }

    @Test
    void find_recordOthersMayRead_isPassedOver() throws Exception {
        EndedNote.write(dir, PORT, State.LOCKED);
        Files.setPosixFilePermissions(PrivateDirectory.Kind.ENDED.in(dir, PORT), PosixFilePermissions.fromString("rw-r--r--"));
        assertNull(EndedNote.find(env, PORT));
        assertNull(EndedNote.last(env));
    }

    @Test
    void find_malformedOrOpen_isPassedOver() throws Exception {
        for (String text : new String[] {"passsafe-ended 1\nstate open\n", "passsafe-ended 2\nstate idle\n", "passsafe-ended 1\nstate nope\n",
                "passsafe-ended 1\nstate idle\nextra\n", "passsafe-ended 1\nstate idle", "x".repeat(300), ""}) {
            Path note = PrivateDirectory.Kind.ENDED.in(dir, PORT);
            Files.deleteIfExists(note);
            Files.write(Files.createFile(note, PosixFilePermissions.asFileAttribute(PrivateDirectory.OWNER_ONLY)), text.getBytes(StandardCharsets.US_ASCII));
            assertNull(EndedNote.find(env, PORT), text);
        }
    }

    @Test
    void remove_takesTheRecordAway() throws Exception {
        EndedNote.write(dir, PORT, State.IDLE);
        PrivateDirectory.removeStale(env, PORT);
        assertFalse(Files.exists(PrivateDirectory.Kind.ENDED.in(dir, PORT)));
        assertNull(EndedNote.find(env, PORT));
    }

    @Test
    void write_removesOtherRecordsAWeekOld_keepsNewerOnes() throws Exception {
        EndedNote.write(dir, PORT + 1, State.EXPIRED);
        EndedNote.write(dir, PORT + 2, State.USED_UP);
        Files.setLastModifiedTime(PrivateDirectory.Kind.ENDED.in(dir, PORT + 1), FileTime.fromMillis(System.currentTimeMillis() - 8 * 86_400_000L));
        Files.setLastModifiedTime(PrivateDirectory.Kind.ENDED.in(dir, PORT + 2), FileTime.fromMillis(System.currentTimeMillis() - 6 * 86_400_000L));
        EndedNote.write(dir, PORT, State.STOPPED);
        assertFalse(Files.exists(PrivateDirectory.Kind.ENDED.in(dir, PORT + 1)), "eight days old");
        assertTrue(Files.exists(PrivateDirectory.Kind.ENDED.in(dir, PORT + 2)), "six days old");
        assertTrue(EndedNote.find(env, PORT) instanceof PasssafeException.Closed);
    }
}
