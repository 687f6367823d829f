package passsafe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Secrets handed to a command as files that live in memory only ({@code passsafe exec --file}):
 * each a fresh {@code 0600} file in a fresh {@code 0700} directory on a tmpfs (the user's
 * {@code XDG_RUNTIME_DIR} when it is one, else {@code /dev/shm}), trusted only as the private
 * directory is, and removed when the command ends. The directory's name carries this process's
 * id, so a later passsafe command removes what a killed one left.
 */
final class MemoryFiles implements AutoCloseable {
    private static final String PREFIX = "passsafe-exec-";

    private final Path dir;

    private MemoryFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * A fresh directory on the first tmpfs of the user's that can be trusted.
     *
     * @throws Failure when there is none
     */
    static MemoryFiles create(Map<String, String> env) throws Failure {
        for (Path base : bases(env)) {
            try {
                if (!tmpfs(base)) {
                    continue;
                }
                Path dir = Files.createTempDirectory(base, PREFIX + ProcessHandle.current().pid() + "-",
                        PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
                if (PrivateDirectory.untrusted(dir) == null) {
                    return new MemoryFiles(dir);
                }
                Files.deleteIfExists(dir);
            } catch (IOException | UnsupportedOperationException unusable) {
                // the next place, if any
            }
        }
        throw Failure.of(Text.NO_MEMORY_FILESYSTEM, null);
    }

    /**
     * Whether {@code dir} is on a tmpfs, as the kernel sees it: the mount whose device is the
     * directory's own and whose mount point lies above it ({@code /proc/self/mountinfo}). Not
     * {@code FileStore.type()}, which names the first mount on a path and so calls a disk bound
     * over {@code /dev/shm} a tmpfs.
     */
    static boolean tmpfs(Path dir) throws IOException {
        Path real = dir.toRealPath();
        long dev = (Long) Files.getAttribute(real, "unix:dev");
        String device = (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL)) + ":" + ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
        String type = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
            String[] fields = line.split(" ");
            int dash = java.util.Arrays.asList(fields).indexOf("-");
            if (fields.length > 4 && dash > 4 && dash + 1 < fields.length && fields[2].equals(device) && real.startsWith(fields[4].replace("\\040", " "))) {
                type = fields[dash + 1]; // the last such mount is the one on top
            }
        }
        return "tmpfs".equals(type);
    }

    private static List<Path> bases(Map<String, String> env) {
        List<Path> bases = new ArrayList<>();
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            bases.add(Path.of(runtime));
        }
        bases.add(Path.of("/dev/shm"));
        return bases;
    }

    /** Writes {@code bytes} (then wipes them) to a new {@code 0600} file named {@code name}; returns its path. */
    Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        try {
            Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(PrivateDirectory.OWNER_ONLY)), bytes, StandardOpenOption.WRITE);
            return file;
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Removes the files and the directory; closing twice, as a signal and the normal end may, is harmless. */
    @Override
    public synchronized void close() {
        remove(dir);
    }

    private static void remove(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException gone) {
            // removed already, by the other of a signal and the normal end
        }
    }

    /** Removes the directories of this user's {@code exec}s whose process is gone, killed before it could clean up. */
    static void removeStale(Map<String, String> env) {
        for (Path base : bases(env)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, entry -> entry.getFileName().toString().startsWith(PREFIX))) {
                for (Path dir : dirs) {
                    int uid = ProcNet.realUid();
                    if (uid >= 0 && (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid && !running(dir)) {
                        remove(dir);
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // nothing of ours there
            }
        }
    }

    private static boolean running(Path dir) {
        String name = dir.getFileName().toString();
        int dash = name.indexOf('-', PREFIX.length());
        try {
            return dash < 0 || ProcessHandle.of(Long.parseLong(name.substring(PREFIX.length(), dash))).isPresent();
        } catch (NumberFormatException notOurs) {
            return true;
        }
    }
}
