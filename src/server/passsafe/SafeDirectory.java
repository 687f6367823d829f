package passsafe;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The server's side of the user's private directory ({@link SocketDirectory}): made 0700 before
 * a safe puts its socket or session file there, and removed once the last of them is gone.
 */
final class SafeDirectory {
    private SafeDirectory() {}

    /**
     * The server's directory: the first candidate, created 0700 (never wider, whatever the umask),
     * or one that exists and is already private to this user.
     *
     * @throws Failure naming the directory when it is another user's or others can enter it
     */
    static Path prepare(Map<String, String> env) throws Failure {
        Path dir = SocketDirectory.candidates(env).get(0);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(SocketDirectory.PRIVATE));
            Files.setPosixFilePermissions(dir, SocketDirectory.PRIVATE);
        } catch (FileAlreadyExistsException exists) {
            // checked below
        } catch (IOException | UnsupportedOperationException e) {
            throw unusable(dir, e.getMessage());
        }
        String why = SocketDirectory.untrusted(dir);
        if (why != null) {
            throw unusable(dir, why);
        }
        return dir;
    }

    private static Failure unusable(Path dir, String why) {
        return Failure.of("cannot use " + dir + " for the safe's socket: " + why,
                "remove it, or set " + SocketDirectory.RUNTIME_DIR + " to a directory of your own that only you can enter");
    }

    /** Removes {@code file} (a socket, a session file), and the directory once it is empty; quietly, at the end of a safe. */
    static void remove(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            Files.delete(file.getParent());
        } catch (IOException | RuntimeException notEmptyOrGone) {
            // another safe of this user still has its socket there, or it is gone already
        }
    }
}
