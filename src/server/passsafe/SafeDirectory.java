package passsafe;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's side of the user's private directory ({@link SocketDirectory}): the first candidate
 * that can be made, or is already private to this user, before a safe puts its socket or session
 * file there. A candidate another user took first is passed over with a note, never a dead end:
 * the last candidate is under the user's home, where no one else can make it. A directory once
 * made is kept when the safe ends, so its name is never free for another user to take.
 */
final class SafeDirectory {
    /** The longest path a Unix-domain socket can have (Linux's sun_path, less its final NUL and room for "65535.sock"). */
    private static final int MAX_SOCKET_DIR_LENGTH = 107 - "/65535.sock".length();

    private SafeDirectory() {}

    /**
     * The directory this safe uses: each candidate in turn, created 0700 (never wider, whatever the
     * umask) or found private to this user; each passed over is said in one line to {@code notes}.
     *
     * @throws CannotServe when no candidate can be used, naming the last and why
     */
    static Path prepare(Map<String, String> env, Consumer<String> notes) throws CannotServe {
        List<CannotServe> passed = new ArrayList<>();
        for (Path dir : SocketDirectory.candidates(env)) {
            String why = make(dir);
            if (why == null) {
                passed.forEach(failure -> notes.accept(failure.getMessage() + "; " + failure.hint));
                return dir;
            }
            passed.add(unusable(dir, why));
        }
        CannotServe last = passed.remove(passed.size() - 1);
        passed.forEach(failure -> notes.accept(failure.getMessage() + "; " + failure.hint));
        throw last;
    }

    /** Null once {@code dir} exists and is private to this user; otherwise why not. */
    private static String make(Path dir) {
        if (dir.toString().length() > MAX_SOCKET_DIR_LENGTH) {
            return "its path is too long for a Unix-domain socket";
        }
        try {
            if (dir.getParent().getFileName().toString().equals(".passsafe") && !Files.exists(dir.getParent())) {
                Files.createDirectory(dir.getParent(), PosixFilePermissions.asFileAttribute(SocketDirectory.PRIVATE));
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(SocketDirectory.PRIVATE));
            Files.setPosixFilePermissions(dir, SocketDirectory.PRIVATE);
        } catch (FileAlreadyExistsException exists) {
            // checked below, whatever it is
        } catch (IOException | UnsupportedOperationException e) {
            return e.getMessage();
        }
        return SocketDirectory.untrusted(dir);
    }

    private static CannotServe unusable(Path dir, String why) {
        boolean others = why.startsWith("it belongs to ");
        return new CannotServe("cannot use " + dir + " for the safe's socket: " + why,
                others ? "another user made it first, so the next place is used; tell the host's administrator"
                        : "remove it, or set " + SocketDirectory.RUNTIME_DIR + " to a directory of your own that only you can enter");
    }

    /** Removes {@code file} (a socket, a session file), quietly, at the end of a safe; the directory stays the user's. */
    static void remove(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException gone) {
            // gone already
        }
    }
}
