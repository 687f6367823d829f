package passsafe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a safe's Unix-domain socket lives, the way ssh-agent and gpg-agent keep theirs: a
 * directory of the user's own that no one else may enter, {@code $XDG_RUNTIME_DIR/passsafe/}
 * where that is set, else {@code passsafe-USER} in the system's temporary directory. The socket's
 * name is the TCP port's, {@code 8051.sock}, so a client given {@code http://localhost:8051} finds it.
 */
final class SocketDirectory {
    static final String RUNTIME_DIR = "XDG_RUNTIME_DIR";
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private SocketDirectory() {}

    /** The directories a safe of this user may use, in the order they are tried. */
    static List<Path> candidates(Map<String, String> env) {
        List<Path> dirs = new ArrayList<>();
        String runtime = env.get(RUNTIME_DIR);
        if (runtime != null && runtime.startsWith("/")) {
            dirs.add(Paths.get(runtime, "passsafe"));
        }
        dirs.add(Paths.get(System.getProperty("java.io.tmpdir"), "passsafe-" + Printable.of(System.getProperty("user.name"))));
        return dirs;
    }

    static Path socket(Path dir, int port) {
        return dir.resolve(port + ".sock");
    }

    /** This process's user, as the file system and {@code SO_PEERCRED} name it. */
    static UserPrincipal self() throws IOException {
        return Paths.get("").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
    }

    /** The socket for {@code port} in the first private directory of this user that holds one, or null. */
    static Path find(Map<String, String> env, int port) {
        for (Path dir : candidates(env)) {
            Path socket = socket(dir, port);
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && untrusted(dir) == null) {
                return socket;
            }
        }
        return null;
    }

    /** Null when {@code dir} is a real directory of this user that no one else may enter; otherwise why not. */
    static String untrusted(Path dir) {
        return untrusted(dir, true, PRIVATE);
    }

    /**
     * Null when {@code path}, not a link, is a directory (or a regular file) of this user's with
     * no permission beyond {@code most}; otherwise why not, for a message.
     */
    static String untrusted(Path path, boolean directory, Set<PosixFilePermission> most) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (directory ? !attributes.isDirectory() : !attributes.isRegularFile()) {
                return directory ? "it is not a directory" : "it is not a regular file";
            }
            if (!attributes.owner().equals(self())) {
                return "it belongs to " + Printable.of(attributes.owner().getName()) + ", not to you";
            }
            if (!most.containsAll(attributes.permissions())) {
                return "others may " + (directory ? "enter" : "read") + " it (" + PosixFilePermissions.toString(attributes.permissions()) + ")";
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return e.getMessage();
        }
    }
}
