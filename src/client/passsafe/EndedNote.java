package passsafe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The note a safe ended by a limit (locked, used up, idle) leaves when its process exits, before
 * its duration is over: {@code PORT.ended} beside its socket, {@code 0600}, two lines saying why
 * and until when. A client that finds nothing listening on the port reads it, so it still learns
 * why; it is no socket and no session file, so nothing ever takes it for a running safe. It holds
 * nothing secret, goes stale at the end of the safe's duration, and the next safe on the port
 * removes it.
 */
final class EndedNote {
    static final String FIRST_LINE = "passsafe-ended 1";
    private static final int MAX_BYTES = 256;

    private EndedNote() {}

    static Path path(Path dir, int port) {
        return dir.resolve(port + ".ended");
    }

    /**
     * Writes the note for {@code state}, stale from {@code untilMillis} (the wall clock), in
     * {@code dir}, replacing any; creates it {@code 0600} and never follows a link.
     */
    static void write(Path dir, int port, State state, long untilMillis) throws IOException {
        Path file = path(dir, port);
        Files.deleteIfExists(file);
        Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(SessionFile.OWNER_ONLY)),
                (FIRST_LINE + "\nstate " + state.code() + "\nuntil " + untilMillis + "\n").getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes the note for {@code port} from each of the user's directories, if any is there. */
    static void remove(Map<String, String> env, int port) {
        for (Path dir : SocketDirectory.candidates(env)) {
            try {
                Files.deleteIfExists(path(dir, port));
            } catch (IOException unremovable) {
                // another's directory, or gone: nothing of ours to remove
            }
        }
    }

    /**
     * Why the safe on {@code port} ended, from a note that is this user's alone and not yet stale;
     * null when there is none. A malformed or foreign note is passed over.
     */
    static State find(Map<String, String> env, int port, long nowMillis) {
        for (Path dir : SocketDirectory.candidates(env)) {
            Path file = path(dir, port);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || SessionFile.untrusted(file) != null) {
                continue;
            }
            State state = read(file, nowMillis);
            if (state != null) {
                return state;
            }
        }
        return null;
    }

    private static State read(Path file, long nowMillis) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException gone) {
            return null;
        }
        String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n", -1);
        if (bytes.length > MAX_BYTES || lines.length != 4 || !lines[0].equals(FIRST_LINE) || !lines[1].startsWith("state ")
                || !lines[2].matches("until [0-9]{1,18}") || !lines[3].isEmpty()) {
            return null;
        }
        State state;
        try {
            state = State.of(lines[1].substring("state ".length()));
        } catch (PasssafeException.UnsupportedServer unknown) {
            return null;
        }
        long until = Long.parseLong(lines[2].substring("until ".length()));
        return state.endedByLimit() && nowMillis < until ? state : null;
    }

    /** The exception a client gets for a safe that ended as {@code state}. */
    static PasssafeException explained(State state) {
        return state == State.LOCKED ? new PasssafeException.Locked() : new PasssafeException.Closed(state);
    }
}
