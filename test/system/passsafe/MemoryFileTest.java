package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code passsafe exec --file VAR=NAME}: a secret stored from a file, handed to a real program as a
 * file in memory (a tmpfs), there while the program runs and gone when it ends, however it ends:
 * normally, by Ctrl-C in a real terminal, by {@code SIGTERM} or {@code SIGHUP}; after a
 * {@code SIGKILL}, by the user's next passsafe command.
 */
class MemoryFileTest {
    /** A service-account-style credentials file: several lines, quotes, backslashes, non-ASCII. */
    private static final String JSON = "{\n  \"type\": \"service_account\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEv…\\n\",\n"
            + "  \"client_email\": \"analyst-ä@example.iam\",\n  \"note\": \"back\\\\slash \\\"quoted\\\"\"\n}\n";
    /** What the command prints once it has looked at its file: the path, its mode, its directory's mode, its filesystem. */
    private static final String LOOK = "echo \"$CREDS\"; stat -c %a \"$CREDS\"; stat -c %a \"$(dirname \"$CREDS\")\"; stat -f -c %T \"$CREDS\"; echo ready";
    @TempDir
    static Path dir;
    private static JarServer safe;

    @BeforeAll
    static void startSafe() throws Exception {
        Path json = Files.writeString(dir.resolve("sa.json"), JSON, StandardCharsets.UTF_8);
        safe = JarServer.started("5\n", JarServer.jar("--session", "--secret", "gcp", "--from-file", json.toString()));
        Files.delete(json); // the user's copy goes; the safe has its own, in memory
    }

    @AfterAll
    static void stopSafe() throws Exception {
        if (safe != null) {
            safe.close();
        }
    }

    private static List<String> exec(String... command) {
        List<String> args = JarServer.jar("exec", "--port", Integer.toString(safe.port), "--file", "CREDS=gcp", "--");
        args.addAll(List.of(command));
        return args;
    }

    @Test
    void python_readsExactlyTheBytesGiven_andTheFileIsGoneAfter() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "skipped: no python3");
        Cli.Run run = Processes.run(new ProcessBuilder(exec("/usr/bin/python3", "-c", "import hashlib, os, sys; path = os.environ['CREDS'];"
                + " print(path); print(hashlib.sha256(open(path, 'rb').read()).hexdigest())")));
        assertEquals(0, run.status(), run.err());
        String[] lines = run.out().split("\n");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(JSON.getBytes(StandardCharsets.UTF_8))), lines[1]);
        assertGone(Path.of(lines[0]));
    }

    @Test
    void whileTheCommandRuns_aPrivateFileOnTmpfs_thenGoneOnSigtermAndSighup() throws Exception {
        for (String signal : List.of("TERM", "HUP")) {
            Process exec = new ProcessBuilder(exec("/bin/sh", "-c", LOOK + "; echo $$; exec sleep 60")).redirectErrorStream(true).start();
            exec.getOutputStream().close();
            BufferedReader out = new BufferedReader(new InputStreamReader(exec.getInputStream(), StandardCharsets.UTF_8));
            List<String> said = readUntil(out, "ready");
            Path file = Path.of(said.get(0));
            assertEquals(List.of("600", "700", "tmpfs"), said.subList(1, 4), "the file 0600, its directory 0700, on tmpfs: " + said);
            assertEquals(JSON, Files.readString(file, StandardCharsets.UTF_8));
            long child = Long.parseLong(out.readLine().trim());
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(exec.pid())).start().waitFor());
            assertTrue(exec.waitFor(30, TimeUnit.SECONDS), "passsafe exec ended on SIG" + signal);
            assertGone(file);
            assertTrue(ended(child), "the command ended with passsafe exec on SIG" + signal);
        }
    }

    @Test
    void ctrlCInARealTerminal_theFileIsGone() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        StringBuilder command = new StringBuilder();
        for (String arg : exec("/bin/sh", "-c", LOOK + "; exec sleep 60")) {
            command.append('\'').append(arg.replace("'", "'\\''")).append("' ");
        }
        Processes.InTerminal terminal = Processes.InTerminal.start(command.toString());
        String shown = terminal.printed().await("ready", java.time.Duration.ofSeconds(60));
        Path file = Path.of(shown.lines().filter(line -> line.startsWith("/")).findFirst().orElseThrow().trim());
        assertTrue(Files.exists(file), shown);
        terminal.process().getOutputStream().write(3); // Ctrl-C, as a person types it
        terminal.process().getOutputStream().flush();
        terminal.awaitEnd();
        assertGone(file);
    }

    /** Where no memory filesystem can be used ({@code /dev/shm} bound over by a disk's directory, in a mount namespace of its own), one line and nothing started. */
    @Test
    void noTmpfsToUse_refusedInOneLine_nothingStarted(@TempDir Path disk) throws Exception {
        Assumptions.assumeTrue(ProcNet.ownUid() == 0 && Files.isExecutable(Path.of("/usr/bin/unshare")), "skipped: a mount namespace needs root and unshare");
        Assumptions.assumeTrue(System.getenv("XDG_RUNTIME_DIR") == null, "skipped: XDG_RUNTIME_DIR may be a tmpfs");
        Path ran = disk.resolve("ran");
        StringBuilder exec = new StringBuilder();
        for (String arg : exec("/usr/bin/touch", ran.toString())) {
            exec.append('\'').append(arg.replace("'", "'\\''")).append("' ");
        }
        Cli.Run run = Processes.run(new ProcessBuilder("/usr/bin/unshare", "-m", "/bin/sh", "-c", "mount --bind " + disk + " /dev/shm && exec " + exec));
        assertEquals(1, run.status(), run.out() + run.err());
        assertEquals("passsafe: error: " + Text.NO_MEMORY_FILESYSTEM + "\n", run.err());
        assertFalse(Files.exists(ran), "the command was started");
    }

    @Test
    void sigkill_leavesTheFile_theNextCommandRemovesIt() throws Exception {
        Process exec = new ProcessBuilder(exec("/bin/sh", "-c", LOOK + "; echo $$; exec sleep 60")).redirectErrorStream(true).start();
        exec.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(exec.getInputStream(), StandardCharsets.UTF_8));
        Path file = Path.of(readUntil(out, "ready").get(0));
        long child = Long.parseLong(out.readLine().trim());
        try {
            exec.destroyForcibly();
            assertTrue(exec.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.exists(file), "a SIGKILLed process cleans nothing up");
            Cli.Run status = Processes.run(new ProcessBuilder(JarServer.jar("status", "--port", Integer.toString(safe.port))));
            assertEquals(0, status.status(), status.err());
            assertGone(file);
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Whether process {@code pid} has ended, waiting up to 30 s for it. */
    private static boolean ended(long pid) throws Exception {
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        try {
            process.get().onExit().get(30, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static List<String> readUntil(BufferedReader out, String last) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line.trim());
            if (line.trim().equals(last)) {
                return lines;
            }
        }
        throw new AssertionError("the command ended before it said " + last + ": " + lines);
    }

    private static void assertGone(Path file) {
        assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS), file + " is still there");
        assertFalse(Files.exists(file.getParent(), LinkOption.NOFOLLOW_LINKS), "its directory " + file.getParent() + " is still there");
        assertTrue(file.getParent().getFileName().toString().startsWith("passsafe-exec-"), file.toString());
    }
}
