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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a safe's Unix-domain socket and session file live, the way ssh-agent and gpg-agent keep
 * theirs: a directory of the user's own that no one else may enter. The candidates, in order:
 * {@code $XDG_RUNTIME_DIR/passsafe/} where that is set; {@code $TMPDIR/passsafe-UID} (else
 * {@code /tmp}), named from the process's real uid; and {@code $HOME/.passsafe/HOST/}, which no other user can make first, since it
 * is under the user's home (and named for the host, as a home on NFS is shared by several). A
 * server uses the first it can make or finds private to this user, and a client looks in each in
 * the same order, so another user who takes a name first in {@code /tmp} only moves the safe to
 * the next. The socket's name is the TCP port's, {@code 8051.sock}, so a client given {@code
 * http://localhost:8051} finds it.
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
        String tmp = env.getOrDefault("TMPDIR", System.getProperty("java.io.tmpdir"));
        dirs.add(Paths.get(tmp.startsWith("/") ? tmp : "/tmp", "passsafe-" + userId()));
        String home = env.getOrDefault("HOME", System.getProperty("user.home", ""));
        if (home.startsWith("/")) {
            dirs.add(Paths.get(home, ".passsafe", host()));
        }
        return dirs;
    }

    /** The real uid where Linux says it, else (macOS, Windows) the user's name, made printable. */
    private static String userId() {
        int uid = ProcNet.realUid();
        return uid >= 0 ? Integer.toString(uid) : Printable.of(System.getProperty("user.name"));
    }

    /** This host's name as the kernel has it, for a directory of its own under a home that several hosts share. */
    private static String host() {
        try {
            String name = new String(Files.readAllBytes(Paths.get("/proc/sys/kernel/hostname")), StandardCharsets.US_ASCII).trim();
            return name.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}") ? name : "host";
        } catch (IOException | RuntimeException unknown) {
            return "host";
        }
    }

    static Path socket(Path dir, int port) {
        return dir.resolve(port + ".sock");
    }

    /**
     * Whether this process's user owns {@code path}: its owner's uid is the process's real uid,
     * compared as numbers, never through {@code user.name}, which whoever starts the JVM may set
     * ({@code -Duser.name}, {@code JAVA_TOOL_OPTIONS}). Where there is no uid to read (no
     * {@code /proc}: macOS, Windows), the owner's name is compared with the user's.
     */
    private static boolean mine(Path path, PosixFileAttributes attributes) throws IOException {
        int uid = ProcNet.realUid();
        if (uid >= 0) {
            return ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == uid;
        }
        return attributes.owner().equals(Paths.get("").getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name")));
    }

    /**
     * This process's user as {@code SO_PEERCRED} names it: the owner of {@code dir}, a directory
     * that {@link #untrusted} found to be this user's, by uid.
     */
    static UserPrincipal owner(Path dir) throws IOException {
        return Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
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
            if (!mine(path, attributes)) {
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
