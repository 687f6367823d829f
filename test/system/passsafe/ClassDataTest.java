package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * passsafe.sh's class-data archive (an AOT cache on JDK 24 and later): written once by a client
 * command, in the user's own 0700 cache directory, then mapped by every later JVM; never another
 * user's; no secret in it; and a
 * corrupt or stale one changes nothing but speed. The launcher runs installed, from a directory
 * of the test's own that user nobody may read, with this JDK.
 */
class ClassDataTest {
    private static final String SECRET = "class-data-secret-canary";

    @TempDir
    Path temp;
    private Path launcher;
    private Path cache;

    @BeforeEach
    void install() throws IOException {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path share = Files.createDirectories(temp.resolve("share/passsafe"));
        launcher = Files.copy(Path.of("passsafe.sh"), bin.resolve("passsafe"));
        Files.copy(JarServer.JAR, share.resolve("passsafe.jar"));
        Files.setPosixFilePermissions(share.resolve("passsafe.jar"), PosixFilePermissions.fromString("rw-r--r--"));
        for (Path dir : List.of(temp.resolve("bin"), temp.resolve("share"), share)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        cache = temp.resolve("cache");
    }

    private ProcessBuilder passsafe(List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("PASSSAFE_"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        return builder;
    }

    private Cli.Run run(String... args) throws Exception {
        return Processes.run(passsafe(List.of(), args));
    }

    /** The archives in the cache directory, and any file left beside them. */
    private List<Path> archives() throws IOException {
        Path dir = cache.resolve("passsafe");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private Path theArchive() throws IOException {
        List<Path> archives = archives();
        assertEquals(1, archives.size(), archives::toString);
        // A class-data archive, or on JDK 24 and later an AOT cache.
        assertTrue(archives.get(0).toString().matches(".*\\.(jsa|aot)"), archives::toString);
        return archives.get(0);
    }

    private static boolean isSleep(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("/sleep")).orElse(false);
    }

    /** Whether the JVM of a launcher that is still running has {@code file} mapped, from its /proc/PID/maps. */
    private static boolean maps(Process jvm, Path file) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "maps")).contains(file.toString());
    }

    /** Starts a safe through the launcher and returns once it asks for the duration, its JVM running. */
    private static Process askingServer(ProcessBuilder builder) throws IOException {
        Process server = builder.redirectErrorStream(true).start();
        InputStream out = server.getInputStream();
        StringBuilder printed = new StringBuilder();
        for (int b = out.read(); b != -1 && printed.indexOf("storage duration") < 0; b = out.read()) {
            printed.append((char) b);
        }
        assertTrue(printed.indexOf("storage duration") >= 0, printed::toString);
        return server;
    }

    private static void end(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    void get_writesTheArchiveOnceInAPrivateDirectory_thenMapsIt_andNoSecretIsInIt() throws Exception {
        try (JarServer safe = JarServer.started("5\n" + SECRET + "\n", JarServer.jar("--session"))) {
            String port = Integer.toString(safe.port);
            Cli.Run first = run("get", "--port", port);
            assertEquals(List.of(0, SECRET, ""), List.of(first.status(), first.out().trim(), first.err()));
            Path archive = theArchive();
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive.getParent())));
            byte[] bytes = Files.readAllBytes(archive);
            assertTrue(bytes.length > 100_000, "a real archive: " + bytes.length + " bytes");
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String secret : List.of(SECRET, safe.passphrase, safe.token)) {
                assertFalse(text.contains(secret), "the archive holds no secret, passphrase or token");
            }

            FileTime written = Files.getLastModifiedTime(archive);
            Cli.Run second = run("get", "--port", port);
            assertEquals(List.of(0, SECRET, ""), List.of(second.status(), second.out().trim(), second.err()));
            assertEquals(written, Files.getLastModifiedTime(archive), "used, not written again");

            Process exec = passsafe(List.of(), "exec", "--port", port, "--env", "X", "--", "sleep", "60").start();
            try {
                // Bounded: until the command runs, the secret fetched. Its own child, sleep, not any: the
                // launcher runs short helpers (stat) of its own before it becomes the JVM.
                for (int i = 0; i < 600 && exec.descendants().noneMatch(ClassDataTest::isSleep); i++) {
                    Thread.sleep(50);
                }
                assertTrue(maps(exec, archive), "a later JVM maps the archive");
            } finally {
                end(exec);
            }
        }
    }

    @Test
    void archive_corruptOrStale_changesNothingButSpeed() throws Exception {
        Cli.Run clean = run("list");
        Path archive = theArchive();
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(archive, "not an archive\n".repeat(1000));
        Cli.Run corrupt = run("list");
        assertEquals(List.of(clean.status(), clean.out(), clean.err()), List.of(corrupt.status(), corrupt.out(), corrupt.err()),
                "the same output, the same status, no warning");
        // Older than the jar: written again, whole.
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(JarServer.JAR).toMillis() - 3_600_000));
        Cli.Run stale = run("list");
        assertEquals(List.of(clean.status(), clean.out(), clean.err()), List.of(stale.status(), stale.out(), stale.err()));
        assertEquals(List.of(archive), archives(), "no half-written archive is left beside it");
        assertTrue(Files.size(archive) > 100_000 && !Files.readString(archive, StandardCharsets.ISO_8859_1).startsWith("not an archive"),
                "the stale archive was written again");
    }

    @Test
    void cacheDirectoryOthersMayEnter_isNeitherUsedNorWritten() throws Exception {
        run("list");
        Path archive = theArchive();
        Files.setPosixFilePermissions(archive.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        FileTime written = Files.getLastModifiedTime(archive);
        Files.setLastModifiedTime(archive, FileTime.fromMillis(written.toMillis() - 7_200_000));
        FileTime old = Files.getLastModifiedTime(archive);
        Process server = askingServer(passsafe(List.of(), "--port", "0"));
        try {
            assertFalse(maps(server, archive), "a directory others may enter is not trusted with what a JVM maps");
        } finally {
            end(server);
        }
        assertEquals(List.of(0), List.of(run("list").status()));
        assertEquals(old, Files.getLastModifiedTime(archive), "nor written");
    }

    /** OpenSSH's safe_path: whoever may write a directory above the cache could swap it for her own, archive and all. */
    @Test
    void cacheUnderADirectoryOthersMayWrite_isNeitherUsedNorWritten() throws Exception {
        Files.createDirectories(cache);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(0, run("list").status());
        assertEquals(List.of(), archives().stream().filter(file -> file.toString().matches(".*\\.(jsa|aot)")).toList(), "not written");
        Files.setAttribute(cache, "unix:mode", 01777);
        assertEquals(0, run("list").status());
        theArchive(); // sticky, as /tmp is: written
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Process server = askingServer(passsafe(List.of(), "--port", "0"));
        try {
            assertFalse(maps(server, theArchive()), "nor mapped, once a directory above it is open to others again");
        } finally {
            end(server);
        }
    }

    @Test
    @Tag("other-user")
    void archiveOfAnotherUser_isNeverMapped() throws Exception {
        Assumptions.assumeTrue(ProcNet.ownUid() == 0, "skipped: acting as another user needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: no /usr/bin/setpriv");
        List<String> asNobody = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        run("list");
        Path archive = theArchive();
        // Root's archive, readable by all: nobody's launcher still passes over a directory that is not nobody's.
        Files.setPosixFilePermissions(archive.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process nobodys = askingServer(passsafe(asNobody, "--port", "0"));
        try {
            assertFalse(maps(nobodys, archive), "nobody's JVM maps none of root's archive");
        } finally {
            end(nobodys);
        }
        assertEquals(List.of(archive), archives(), "and nobody wrote none beside it");

        // nobody's private directory and archive: root's launcher passes over them in turn.
        UserPrincipal nobody = temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setPosixFilePermissions(archive.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.setOwner(archive, nobody);
        Files.setOwner(archive.getParent(), nobody);
        Process roots = askingServer(passsafe(List.of(), "--port", "0"));
        try {
            assertFalse(maps(roots, archive), "root's JVM maps none of nobody's archive");
        } finally {
            end(roots);
        }
    }
    /** Her side of the cache race: her directory, holding her archive or a FIFO under the owner's archive's name, swapped in a paced loop. */
    private static final String CACHE_ATTACK = String.join("\n",
            "import ctypes, os, random, shutil, stat, sys, time",
            "parent, name, kind, source, seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "evil, target = os.path.join(parent, 'evil-' + kind), os.path.join(parent, 'passsafe')",
            "os.mkdir(evil, 0o700)",
            "mine = os.path.join(evil, name)",
            "shutil.copyfile(source, mine) if kind == 'archive' else os.mkfifo(mine, 0o666)",
            "print('ready', os.stat(mine).st_ino, flush=True)",
            "swaps, opened, end = 0, 0, time.time() + seconds",
            "while time.time() < end:",
            "    if libc.renameat2(-100, evil.encode(), -100, target.encode(), 2) == 0:",
            "        swaps += 1",
            // Paced, as a patient attacker would: the launcher's checks, a few ms apart, see one state, and
            // the JVM's open, tens of ms later, often the other.
            "    time.sleep(random.uniform(0.005, 0.05))",
            "    if kind == 'fifo':",
            "        for path in (os.path.join(evil, name), os.path.join(target, name)):",
            "            try:",
            "                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)",
            "                opened += 1 if stat.S_ISFIFO(os.fstat(fd).st_mode) else 0",
            "                os.close(fd)",
            "            except OSError:",
            "                pass",
            "print(swaps, opened, flush=True)",
            "");

    /**
     * Issue 29's race: the cache directory's parent is another user's and open to all, and she swaps
     * her own directory for the owner's in a loop while the owner's launcher starts JVMs. Her archive
     * is never mapped (by inode, in each JVM's /proc/PID/maps) and her FIFO never opened.
     */
    @Test
    @Tag("other-user")
    void cacheParentOfAnotherUser_swappedInALoop_herArchiveNeverMapped_herFifoNeverOpened() throws Exception {
        Assumptions.assumeTrue(ProcNet.ownUid() == 0, "skipped: acting as another user needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "skipped: no /usr/bin/setpriv or /usr/bin/python3");
        run("list");
        Path real = Files.copy(theArchive(), temp.resolve("hers"));
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r--r--"));
        Path script = Files.writeString(temp.resolve("cache-attack.py"), CACHE_ATTACK);
        String name = theArchive().getFileName().toString();
        for (String kind : List.of("archive", "fifo")) {
            // A fresh parent each round: her file of one round is not the next round's.
            Path shared = Files.createDirectory(temp.resolve("shared-" + kind));
            Path own = Files.createDirectory(shared.resolve("passsafe"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
            // The owner's own archive in place, as after a first passsafe get: every check on it passes, whenever it is made.
            Files.copy(theArchive(), own.resolve(name));
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            assertEquals(0, new ProcessBuilder("chown", "nobody", shared.toString()).start().waitFor());
            cache = shared;
            Process attack = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3",
                    script.toString(), shared.toString(), name, kind, real.toString(), "12").start();
            java.io.BufferedReader said = new java.io.BufferedReader(new java.io.InputStreamReader(attack.getInputStream(), StandardCharsets.UTF_8));
            String[] ready = String.valueOf(said.readLine()).split(" ");
            assertEquals("ready", ready[0], new String(attack.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            int runs = 0;
            int mapped = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() - end < 0) {
                Process server = askingServer(passsafe(List.of(), "--port", "0"));
                try {
                    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "maps"))) {
                        String[] fields = line.trim().split("\\s+");
                        mapped += fields.length > 4 && fields[4].equals(ready[1]) ? 1 : 0;
                    }
                } finally {
                    end(server);
                }
                runs++;
            }
            String[] counts = said.readLine().split(" ");
            assertTrue(attack.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Integer.parseInt(counts[0]) > 0 && runs > 0, "the swap loop and the launcher ran: " + counts[0] + " swaps, " + runs + " runs");
            assertEquals(List.of(0, "0"), List.of(mapped, counts[1]), kind + ": her file mapped by the owner's JVMs, her FIFO opened");
            System.out.println("ClassDataTest " + kind + ": " + counts[0] + " swaps, " + runs + " launcher runs, " + mapped + " mappings of hers, "
                    + counts[1] + " opens of her FIFO");
        }
    }
}
