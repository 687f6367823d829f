package passsafe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The record a safe leaves when it ends, however it ends: {@code PORT.ended} in the user's
 * {@link PrivateDirectory}, saying how; when, its modification time. A client that finds no safe
 * reads it, so a notebook hears "the safe on port 8051, which ended at 10:42, no longer holds its
 * secrets: its uses are used up" rather than that nothing answers. It is no socket and no session
 * file, so nothing takes it for a running safe; it holds nothing secret, and the next safe on the
 * port removes it, as the next safe to end removes one a week old.
 */
final class EndedNote {
    static final String FIRST_LINE = "passsafe-ended 1";
    private static final int MAX_BYTES = 256;
    private static final Duration KEPT = Duration.ofDays(7);
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter EARLIER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private EndedNote() {}

    /** Writes the record, and removes those of other ports a week old: safes on ever new ports (--port 0) leave no pile. */
    static void write(Path dir, int port, State state) throws IOException {
        PrivateDirectory.write(dir, port, PrivateDirectory.Kind.ENDED, (FIRST_LINE + "\nstate " + state.code() + "\n").getBytes(StandardCharsets.US_ASCII));
        long weekAgo = System.currentTimeMillis() - KEPT.toMillis();
        for (Path record : PrivateDirectory.listed(dir, PrivateDirectory.Kind.ENDED)) {
            if (modified(record) < weekAgo) {
                PrivateDirectory.remove(record);
            }
        }
    }

    /** What a client of the safe on {@code port} is told once it is gone, from its record; null when there is none. */
    static PasssafeException find(Map<String, String> env, int port) {
        Path file = PrivateDirectory.find(env, port, PrivateDirectory.Kind.ENDED);
        return file == null ? null : read(file);
    }

    static PasssafeException last(Map<String, String> env) {
        Path newest = null;
        long newestMillis = Long.MIN_VALUE;
        for (Path file : PrivateDirectory.all(env, PrivateDirectory.Kind.ENDED)) {
            long millis = modified(file);
            if (millis > newestMillis) {
                newest = file;
                newestMillis = millis;
            }
        }
        return newest == null ? null : read(newest);
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException gone) {
            return Long.MIN_VALUE;
        }
    }

    /** The exception a record that is this user's alone gives; null for a malformed or foreign one. */
    private static PasssafeException read(Path file) {
        long millis = modified(file);
        String[] lines;
        try {
            byte[] bytes = PrivateDirectory.read(file, MAX_BYTES + 1);
            lines = new String(bytes, StandardCharsets.US_ASCII).split("\n", -1);
            if (bytes.length > MAX_BYTES || lines.length != 3 || !lines[0].equals(FIRST_LINE) || !lines[1].startsWith("state ") || !lines[2].isEmpty()) {
                return null;
            }
            State state = State.of(lines[1].substring("state ".length()));
            int port = PrivateDirectory.Kind.ENDED.port(file);
            return state == State.OPEN ? null : PasssafeException.ended(state, "on port " + port + ", which ended at " + when(millis) + ",");
        } catch (IOException | PasssafeException.UnsupportedServer unusable) {
            return null;
        }
    }

    private static String when(long millis) {
        LocalDateTime at = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault());
        return at.format(at.toLocalDate().equals(LocalDate.now()) ? TODAY : EARLIER);
    }
}
