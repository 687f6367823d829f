package passsafe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The user's private directory, where a safe keeps its socket, its session file, its log and the
 * record of its end, as ssh-agent and gpg-agent keep theirs: the one place that names those files,
 * decides whether a directory can be trusted, and opens them. The candidates, in order:
 * {@code $XDG_RUNTIME_DIR/passsafe/} where that is set; {@code $TMPDIR/passsafe-UID} (else
 * {@code /tmp}), named from the process's real uid; and {@code $HOME/.passsafe/HOST/}, which no
 * other user can make first (named for the host, as a home on NFS is shared by several). A safe
 * uses the first it can make or finds private to this user, and a client looks in each in the same
 * order, so another user who takes a name first in {@code /tmp} only moves the safe to the next.
 */
final class PrivateDirectory {
    static final String RUNTIME_DIR = "XDG_RUNTIME_DIR";
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** The longest path a Unix-domain socket can have (Linux's sun_path, less its final NUL), less the longest name in it. */
    private static final int MAX_DIR_LENGTH = 107 - "/65535.session".length();

    /** What a safe keeps there, each named from its TCP port, so a client given {@code http://localhost:8051} finds {@code 8051.sock}. */
    enum Kind {
        SOCKET(".sock"), SESSION(".session"), LOG(".log"), ENDED(".ended");

        final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        Path in(Path dir, int port) {
            return dir.resolve(port + suffix);
        }

        int port(Path file) {
            String name = file.getFileName().toString();
            String port = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : "";
            return port.matches("[1-9][0-9]{0,4}") && Integer.parseInt(port) <= 65535 ? Integer.parseInt(port) : 0;
        }
    }

    private PrivateDirectory() {}

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
            dirs.add(Paths.get(home, ".passsafe", Host.NAME));
        }
        return dirs;
    }

    /** The real uid where Linux says it, else (macOS, Windows) the user's name, made printable. */
    private static String userId() {
        int uid = ProcNet.realUid();
        return uid >= 0 ? Integer.toString(uid) : Printable.of(System.getProperty("user.name"));
    }

    /** This host's name as the kernel has it, for a directory of its own under a home that several hosts share: read once. */
    private static final class Host {
        static final String NAME = host();
    }

    private static String host() {
        try {
            String name = new String(Files.readAllBytes(Paths.get("/proc/sys/kernel/hostname")), StandardCharsets.US_ASCII).trim();
            return name.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}") ? name : "host";
        } catch (IOException | RuntimeException unknown) {
            return "host";
        }
    }

    static Path find(Map<String, String> env, int port, Kind kind) {
        for (Path dir : candidates(env)) {
            Path file = kind.in(dir, port);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && untrusted(dir) == null) {
                return file;
            }
        }
        return null;
    }

    static List<Path> all(Map<String, String> env, Kind kind) {
        List<Path> files = new ArrayList<>();
        for (Path dir : candidates(env)) {
            if (untrusted(dir) == null) {
                files.addAll(listed(dir, kind));
            }
        }
        return files;
    }

    /** The files of {@code kind} in {@code dir}, a directory already trusted. */
    static List<Path> listed(Path dir, Kind kind) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(dir, "*" + kind.suffix)) {
            for (Path file : listed) {
                if (kind.port(file) > 0) {
                    files.add(file);
                }
            }
        } catch (IOException gone) {
            // a directory that went away holds nothing
        }
        return files;
    }

    /**
     * Null when {@code dir} is a real directory of this user that no one else may enter, and no
     * one else could swap it for another: every directory above it, up to {@code /}, is root's or
     * this user's and writable by no one else unless sticky (as {@code /tmp} is), and any link on
     * the way is root's or this user's, as OpenSSH's {@code safe_path} asks. Otherwise why not.
     */
    static String untrusted(Path dir) {
        String why = untrusted(dir, true, PRIVATE);
        return why != null ? why : unsafeAncestor(dir);
    }

    /** Null when no one but root and this user can rename or replace what lies above {@code dir}; otherwise why not. */
    private static String unsafeAncestor(Path dir) {
        int uid = ProcNet.realUid();
        if (uid < 0) {
            return null; // no uid to compare with (macOS, Windows): the directory's own check stands alone
        }
        try {
            for (Path link = dir.toAbsolutePath().getParent(); link != null; link = link.getParent()) {
                if (!Files.isSymbolicLink(link)) {
                    continue; // a directory, checked below once links are resolved, or not made yet
                }
                int owner = (Integer) Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (owner != 0 && owner != uid) {
                    return "the link " + link + " on its way belongs to another user";
                }
            }
            Path existing = dir.toAbsolutePath().getParent();
            while (existing.getParent() != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent(); // ~/.passsafe, before the first safe makes it
            }
            for (Path above = existing.toRealPath(); above != null; above = above.getParent()) {
                int owner = (Integer) Files.getAttribute(above, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(above, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (owner != 0 && owner != uid) {
                    return "the directory " + above + " above it belongs to another user, who could swap it";
                }
                if ((mode & 022) != 0 && (mode & 01000) == 0) {
                    return "others may write the directory " + above + " above it, and swap it";
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage();
        }
    }

    /**
     * Null when {@code path}, not a link, is a directory (or a regular file) of this user's with
     * no permission beyond {@code most}; otherwise why not, for a message. The owner is compared by
     * uid with the process's real uid, never through {@code user.name}, which whoever starts the
     * JVM may set; where there is no uid to read (macOS, Windows), by name.
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

    private static boolean mine(Path path, PosixFileAttributes attributes) throws IOException {
        int uid = ProcNet.realUid();
        if (uid >= 0) {
            return ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == uid;
        }
        return attributes.owner().equals(path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name")));
    }

    /**
     * This process's user as {@code SO_PEERCRED} names a peer: looked up by the process's real uid
     * (the JDK compares such principals by uid), never by a path's owner read again, nor by
     * {@code user.name}, which whoever starts the JVM may set; by that name only where there is
     * no uid to read (macOS, Windows). Looked up once: the lookup may ask a directory service
     * (LDAP on a shared host), and every new connection compares its peer with it.
     */
    static UserPrincipal self() throws IOException {
        UserPrincipal known = self;
        if (known == null) {
            int uid = ProcNet.realUid();
            known = Paths.get("/").getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(uid >= 0 ? Integer.toString(uid) : System.getProperty("user.name"));
            self = known;
        }
        return known;
    }

    private static volatile UserPrincipal self;

    /**
     * The directory a safe uses: each candidate in turn, created 0700 (never wider, whatever the
     * umask) or found private to this user; each passed over is said in one line to {@code notes},
     * the last of them too when none can be used, and then it is null. A directory once made is
     * kept when the safe ends, so its name is never free for another user to take.
     */
    static Path prepare(Map<String, String> env, Consumer<String> notes) {
        for (Path dir : candidates(env)) {
            String why = make(dir);
            if (why == null) {
                return dir;
            }
            notes.accept("cannot use " + dir + " for the safe's files: " + why + "; " + (why.startsWith("it belongs to ")
                    ? "another user made it first, so the next place is tried; tell the host's administrator"
                    : "remove it, or set " + RUNTIME_DIR + " to a directory of your own that only you can enter"));
        }
        return null;
    }

    private static String make(Path dir) {
        if (dir.toString().length() > MAX_DIR_LENGTH) {
            return "its path is too long for a Unix-domain socket";
        }
        String unsafe = unsafeAncestor(dir);
        if (unsafe != null) {
            return unsafe; // nothing is made where another user could swap it
        }
        try {
            if (dir.getParent().getFileName().toString().equals(".passsafe") && !Files.exists(dir.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir.getParent(), PosixFilePermissions.asFileAttribute(PRIVATE));
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
            Files.setPosixFilePermissions(dir, PRIVATE);
        } catch (FileAlreadyExistsException exists) {
            // checked below, whatever it is
        } catch (IOException | UnsupportedOperationException e) {
            return e.getMessage();
        }
        return untrusted(dir);
    }

    /**
     * Writes {@code bytes} to the file of {@code kind} for {@code port} in {@code dir}, replacing
     * any: a new file, {@code 0600} before a byte is in it and checked to be so, never through a link.
     *
     * @throws IOException saying why it could not be written so
     */
    static Path write(Path dir, int port, Kind kind, byte[] bytes) throws IOException {
        Path file = kind.in(dir, port);
        try (SeekableByteChannel channel = create(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes));
        }
        return file;
    }

    /** A new log for the safe on {@code port}, {@code 0600}, replacing any, appended to from now on. */
    static OutputStream log(Path dir, int port) throws IOException {
        Path file = Kind.LOG.in(dir, port);
        create(file, StandardOpenOption.WRITE).close();
        return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
    }

    private static SeekableByteChannel create(Path file, StandardOpenOption mode) throws IOException {
        Files.deleteIfExists(file);
        SeekableByteChannel channel;
        try {
            channel = Files.newByteChannel(file, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, mode, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            throw new IOException("another program made it while this one was being written");
        }
        String why = untrusted(file, false, OWNER_ONLY);
        if (why != null) {
            channel.close();
            throw new IOException(why);
        }
        return channel;
    }

    /**
     * The first {@code max} bytes of {@code file}, a regular file of this user's that no one else
     * may read, read without following a link; the caller wipes them.
     *
     * @throws IOException saying why it cannot be trusted or read
     */
    static byte[] read(Path file, int max) throws IOException {
        String why = untrusted(file, false, OWNER_ONLY);
        if (why != null) {
            throw new IOException(why);
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(max);
        }
    }

    /**
     * Removes what a safe before this one on {@code port} left in each trusted candidate: a killed
     * one's session file, which would make the user's programs send a dead safe's token to this
     * one, the record of how one ended, and its log.
     */
    static void removeStale(Map<String, String> env, int port) {
        for (Path dir : candidates(env)) {
            if (untrusted(dir) == null) {
                for (Kind kind : List.of(Kind.SESSION, Kind.ENDED, Kind.LOG)) {
                    remove(kind.in(dir, port));
                }
            }
        }
    }

    /** Removes {@code file} (null: none), quietly: gone already, or not ours to remove. */
    static void remove(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException gone) {
            // nothing to do
        }
    }
}
