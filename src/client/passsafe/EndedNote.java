package passsafe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The record a safe leaves when it ends, however it ends: {@code PORT.ended} beside its socket,
 * {@code 0600}, saying how; when, its modification time. A client that finds no safe reads it,
 * so a notebook hears "the safe on port 8051 ended at 10:42: its uses are used up" rather than
 * that nothing answers. It is no socket and no session file, so nothing takes it for a running
 * safe; it holds nothing secret, and the next safe on the port removes it.
 */
final class EndedNote {
    static final String FIRST_LINE = "passsafe-ended 1";
    private static final int MAX_BYTES = 256;
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter EARLIER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private EndedNote() {}

    static Path path(Path dir, int port) {
        return dir.resolve(port + ".ended");
    }

    /** Writes the record that the safe on {@code port} ended as {@code state}, replacing any; {@code 0600}, never through a link. */
    static void write(Path dir, int port, State state) throws IOException {
        Path file = path(dir, port);
        Files.deleteIfExists(file);
        Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(SessionFile.OWNER_ONLY)),
                (FIRST_LINE + "\nstate " + state.code() + "\n").getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes the record for {@code port} from each of the user's directories, if any is there. */
    static void remove(Map<String, String> env, int port) {
        for (Path dir : SocketDirectory.candidates(env)) {
            try {
                Files.deleteIfExists(path(dir, port));
            } catch (IOException unremovable) {
                // another's directory, or gone: nothing of ours to remove
            }
        }
    }

    /** What a client of the safe on {@code port} is told once it is gone, from its record; null when there is none. */
    static PasssafeException find(Map<String, String> env, int port) {
        for (Path dir : SocketDirectory.candidates(env)) {
            PasssafeException ended = read(path(dir, port), port);
            if (ended != null) {
                return ended;
            }
        }
        return null;
    }

    /** As {@link #find}, for the safe that ended last on any port; null when no record is there. */
    static PasssafeException last(Map<String, String> env) {
        Path newest = null;
        long newestMillis = Long.MIN_VALUE;
        for (Path dir : SocketDirectory.candidates(env)) {
            if (SocketDirectory.untrusted(dir) != null) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.ended")) {
                for (Path file : files) {
                    long millis = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
                    if (millis > newestMillis) {
                        newest = file;
                        newestMillis = millis;
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // nothing to say from there
            }
        }
        if (newest == null) {
            return null;
        }
        String name = newest.getFileName().toString();
        String port = name.substring(0, name.length() - ".ended".length());
        return port.matches("[0-9]{1,5}") ? read(newest, Integer.parseInt(port)) : null;
    }

    /** The exception a record that is this user's alone gives; null for none, or a malformed or foreign one. */
    private static PasssafeException read(Path file, int port) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || SessionFile.untrusted(file) != null) {
            return null;
        }
        byte[] bytes;
        long millis;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
            millis = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException gone) {
            return null;
        }
        String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n", -1);
        if (bytes.length > MAX_BYTES || lines.length != 3 || !lines[0].equals(FIRST_LINE) || !lines[1].startsWith("state ") || !lines[2].isEmpty()) {
            return null;
        }
        try {
            State state = State.of(lines[1].substring("state ".length()));
            return state == State.OPEN ? null : PasssafeException.ended(state, "on port " + port + ", which ended at " + when(millis) + ",");
        } catch (PasssafeException.UnsupportedServer unknown) {
            return null;
        }
    }

    /** "10:42" today, "2026-12-02 10:42" before. */
    private static String when(long millis) {
        LocalDateTime at = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault());
        return at.format(at.toLocalDate().equals(LocalDate.now()) ? TODAY : EARLIER);
    }
}
