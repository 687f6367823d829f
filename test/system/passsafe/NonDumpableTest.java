package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The server's memory, as another program of the same (non-root) user would try to read it: on
 * Linux with JDK 22 or newer the server makes itself non-dumpable, as ssh-agent does.
 */
class NonDumpableTest {
    private static final String NOBODY = "65534";

    /** A JDK under /usr/lib/jvm whose major version is at least {@code min} and below {@code max}. */
    private static Optional<Path> jdk(int min, int max) throws IOException {
        if (!Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java"))).filter(home -> {
                int major = major(home);
                return major >= min && major < max;
            }).sorted().findFirst();
        }
    }

    private static int major(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring(14).split("[.\"]")[0]);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
        return -1;
    }

    private static List<String> asNobody(String... command) {
        List<String> args = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        args.addAll(List.of(command));
        return args;
    }

    /** Runs {@code command} to its end; its exit status and what it printed. */
    private static Cli.Run run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return new Cli.Run(process.exitValue(), out, "");
    }

    /** What the user's other program gets when it opens {@code /proc/PID/mem}. */
    private static Cli.Run openMemory(long pid) throws Exception {
        return run(asNobody("/bin/bash", "-c", "exec 3</proc/$0/mem && echo opened", Long.toString(pid)));
    }

    /** The lines a server printed before "Serving on". */
    private static List<String> printedUntilServing(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        List<String> printed = new ArrayList<>();
        for (String line = out.readLine(); line != null && !line.startsWith("Serving on"); line = out.readLine()) {
            printed.add(line);
        }
        return printed;
    }

    @Test
    void server_jdk22ThroughTheScript_memoryUnreadableByOtherPrograms() throws Exception {
        Assumptions.assumeTrue(ProcNet.ownUid() == 0 && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "skipped: a non-root user for the test needs root and setpriv");
        Optional<Path> jdk22 = jdk(22, Integer.MAX_VALUE);
        Assumptions.assumeTrue(jdk22.isPresent(), "skipped: no JDK 22 or newer under /usr/lib/jvm");
        // The control: a plain process of the same user is readable, so the check below can fail.
        Process plain = new ProcessBuilder(asNobody("/bin/sleep", "30")).start();
        try {
            // setpriv is root until it execs sleep as nobody: wait for that, boundedly, before the control.
            Path cmdline = Path.of("/proc/" + plain.pid() + "/cmdline");
            for (int i = 0; i < 100 && !Files.readString(cmdline).startsWith("/bin/sleep"); i++) {
                Thread.sleep(50);
            }
            assertEquals("opened\n", openMemory(plain.pid()).out(), "another process of the user opens a dumpable one's memory");
        } finally {
            plain.destroy();
        }
        ProcessBuilder builder = new ProcessBuilder(asNobody("./passsafe.sh", "--port", "0")).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", jdk22.get().toString());
        builder.environment().remove(PrivateDirectory.RUNTIME_DIR);
        Process server = builder.start();
        try {
            try (OutputStream in = server.getOutputStream()) {
                in.write("1\nnon-dumpable\n".getBytes(StandardCharsets.UTF_8));
            }
            List<String> printed = printedUntilServing(server);
            assertTrue(printed.stream().noneMatch(line -> line.startsWith("passsafe: note:") || line.startsWith("WARNING")), printed.toString());
            Cli.Run memory = openMemory(server.pid());
            assertNotEquals(0, memory.status());
            assertTrue(memory.out().contains("Permission denied"), memory.out());
            Cli.Run jcmd = run(asNobody(jdk22.get().resolve("bin/jcmd").toString(), Long.toString(server.pid()), "VM.version"));
            assertNotEquals(0, jcmd.status(), jcmd.out());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void server_olderJdk_saysItsMemoryCanBeRead() throws Exception {
        Optional<Path> old = jdk(11, 22);
        Assumptions.assumeTrue(old.isPresent(), "skipped: no JDK older than 22 under /usr/lib/jvm");
        Process server = new ProcessBuilder(old.get().resolve("bin/java").toString(), "-jar", JarServer.JAR.toString(), "--port", "0")
                .redirectErrorStream(true).start();
        try {
            try (OutputStream in = server.getOutputStream()) {
                in.write("1\nold-jdk\n".getBytes(StandardCharsets.UTF_8));
            }
            List<String> printed = printedUntilServing(server);
            // The older JDK runs the base Hardening; this JVM, on JDK 22+, would load the jar's other one: the text is spelt out.
            assertTrue(printed.contains("passsafe: note: on this JDK other programs of your user can read this server's memory (/proc/PID/mem);"
                    + " run it on JDK 22 or newer to make it non-dumpable (JAVA_HOME=/its/home passsafe.sh)"), printed.toString());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
