package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another user ({@code nobody}) who owns the directory above the owner's private one, as when
 * {@code XDG_RUNTIME_DIR} points into a directory of hers: she keeps swapping her own directory,
 * with a socket listening in it, for the owner's ({@code renameat2(RENAME_EXCHANGE)} in a loop)
 * while the owner's safe starts and the owner's client fetches the secret again and again.
 */
@Tag("other-user")
class SwapTest {
    private static final String SECRET = "swap-secret";
    private static final int SECONDS = 20;

    /** Her side: the swap loop and a listener that counts the connections it gets and those carrying a token or key check. */
    private static final String ATTACK = String.join("\n",
            "import ctypes, os, socket, sys, threading, time",
            "parent, port, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "evil, target = os.path.join(parent, 'evil'), os.path.join(parent, 'passsafe')",
            "os.mkdir(evil, 0o700)",
            "listener = socket.socket(socket.AF_UNIX)",
            "listener.bind(os.path.join(evil, port + '.sock'))",
            "listener.listen(64)",
            "got = [0, 0]",
            "def serve():",
            "    while True:",
            "        try:",
            "            c, _ = listener.accept()",
            "        except OSError:",
            "            return",
            "        got[0] += 1",
            "        c.settimeout(2)",
            "        try:",
            "            data = c.recv(65536).lower()",
            "        except OSError:",
            "            data = b''",
            "        if b'passsafe-token' in data or b'passsafe-key-check' in data:",
            "            got[1] += 1",
            "        c.close()",
            "threading.Thread(target=serve, daemon=True).start()",
            "print('ready', flush=True)",
            "swaps, end = 0, time.time() + seconds",
            "while time.time() < end:",
            "    if libc.renameat2(-100, evil.encode(), -100, target.encode(), 2) == 0:",
            "        swaps += 1",
            "print(swaps, got[0], got[1], flush=True)",
            "");

    @Test
    void parentOfAnotherUser_swappedInALoop_noTokenReachesHer_andTheOwnerIsServed(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(ProcNet.ownUid() == 0, "skipped: acting as another user needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "skipped: no /usr/bin/setpriv or /usr/bin/python3");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path parent = Files.createDirectory(tmp.resolve("shared"));
        Path script = Files.writeString(tmp.resolve("attack.py"), ATTACK);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        // Her directory, 0777; the owner's private directory already in it, as a safe of an older passsafe would have made it.
        Path own = Files.createDirectory(parent.resolve("passsafe"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        new ProcessBuilder("chown", "nobody", parent.toString()).start().waitFor(10, TimeUnit.SECONDS);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path tmpdir = Files.createDirectories(tmp.resolve("tmp"));
        String java = JarServer.jdkTool("java").toString();
        List<String> env = List.of("/usr/bin/env", "XDG_RUNTIME_DIR=" + parent, "TMPDIR=" + tmpdir, "HOME=" + home);

        List<String> server = new ArrayList<>(env);
        server.addAll(JarServer.jar("--session"));
        try (JarServer safe = JarServer.started("5\n" + SECRET + "\n", server)) {
            assertTrue(String.join("\n", safe.printed).contains("passsafe: note: cannot use " + own + " for the safe's files: the directory "
                    + parent + " above it belongs to another user, who could swap it"), String.join("\n", safe.printed));
            Process attack = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "/usr/bin/python3", script.toString(), parent.toString(), Integer.toString(safe.port), Integer.toString(SECONDS)).start();
            BufferedReader said = new BufferedReader(new InputStreamReader(attack.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", said.readLine(), new String(attack.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            int served = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS - 2);
            while (System.nanoTime() - end < 0) {
                List<String> get = new ArrayList<>(env);
                get.addAll(List.of(java, "-jar", JarServer.JAR.toString(), "get"));
                Cli.Run run = Processes.run(new ProcessBuilder(get));
                assertEquals(List.of(0, SECRET), List.of(run.status(), run.out()), run.err());
                served++;
            }
            String[] counts = said.readLine().split(" ");
            assertTrue(attack.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Integer.parseInt(counts[0]) > 0, "the swap loop ran: " + String.join(" ", counts));
            assertEquals(List.of("0", "0"), List.of(counts[1], counts[2]), "connections to her socket, and requests with the owner's token or key check");
            assertTrue(served > 0, "the owner was served");
            System.out.println("SwapTest: " + counts[0] + " swaps, " + served + " gets served, " + counts[1] + " connections to her socket, "
                    + counts[2] + " with a token or key check");
        }
    }
}
