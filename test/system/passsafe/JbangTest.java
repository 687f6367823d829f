package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar through jbang ({@code dev.jbang:jbang-cli}, fetched through Maven by make), run as
 * jbang's own launcher runs it: {@code dev.jbang.Main} prints the command line to run and exits
 * 255, and the launcher runs that line. Offline: nothing but the local Maven repository is used.
 */
class JbangTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String SECRET = "jbang-secret";
    /** The README's line: passsafe.sh's protections, for jbang, which starts the jar with -classpath. */
    static final List<String> PROTECTIONS = List.of("--runtime-option=-XX:+DisableAttachMechanism",
            "--runtime-option=-XX:-HeapDumpOnOutOfMemoryError", "--runtime-option=-XX:-UsePerfData",
            "--runtime-option=--enable-native-access=ALL-UNNAMED");

    @TempDir
    static Path home;

    @BeforeAll
    static void installInTheLocalMavenRepository() throws Exception {
        Process make = new ProcessBuilder("make", "-s", "install-m2").directory(REPO.toFile()).redirectErrorStream(true).start();
        String said = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(make.waitFor(300, TimeUnit.SECONDS) && make.exitValue() == 0, said);
    }

    /** The command line jbang would run for {@code args}: what dev.jbang.Main prints when it exits 255. */
    private static String jbang(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JarServer.jdkTool("java").toString(), "-cp", Path.of(System.getProperty("passsafe.jbang", "build/lib/jbang")).toAbsolutePath() + "/*",
                "dev.jbang.Main", "--offline"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        environment(builder, env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS));
        assertEquals(255, process.exitValue(), "jbang did not hand back a command line: " + out + err);
        return out.trim();
    }

    private static void environment(ProcessBuilder builder, Map<String, String> env) {
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JBANG_DIR", home.resolve("jbang").toString());
        builder.environment().put("JBANG_NO_VERSION_CHECK", "true");
        builder.environment().putAll(env);
    }

    /** Runs the line as jbang's launcher does: {@code eval "exec $line"}. */
    private static Process launch(String line, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", "eval \"exec $0\"", line).directory(dir.toFile()).redirectErrorStream(true);
        environment(builder, env);
        return builder.start();
    }

    private static String runToEnd(Process process) throws Exception {
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    @Test
    void jbang_jarVersion_printsIt() throws Exception {
        String line = jbang(REPO, Map.of(), "build/passsafe.jar", "--version");
        assertTrue(runToEnd(launch(line, REPO, Map.of())).matches("passsafe \\d+\\.\\d+\\.\\d+\n"));
    }

    @Test
    void jbang_serverFedByAPipe_hasTheScriptsProtections() throws Exception {
        List<String> args = new ArrayList<>(PROTECTIONS);
        args.addAll(List.of("build/passsafe.jar", "--port", "0"));
        String line = jbang(REPO, Map.of(), args.toArray(new String[0]));
        Process server = launch(line, REPO, Map.of());
        try {
            try (OutputStream in = server.getOutputStream()) {
                in.write(("1\n" + SECRET + "\n").getBytes(StandardCharsets.UTF_8));
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder printed = new StringBuilder();
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                printed.append(l).append('\n');
                if (l.startsWith("Serving on")) {
                    break;
                }
            }
            Announced announced = Announced.parse(printed.toString());
            assertFalse(printed.toString().contains("warning") || printed.toString().contains("WARNING"), printed.toString());
            assertEquals(SECRET, announced.client(false).password());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void jbang_clientScripts_jarOnClassPathAndDepsBothGetTheSecret(@TempDir Path dir) throws Exception {
        try (JarServer server = JarServer.start(SECRET)) {
            Map<String, String> env = Map.of(Locator.PASSPHRASE, server.passphrase, Locator.TOKEN, server.token, Locator.URL, server.url);
            String body = "class report {\n    public static void main(String[] args) {\n"
                    + "        try (var client = passsafe.Client.local()) {\n"
                    + "            System.out.print(\"secret=\" + client.password());\n        }\n    }\n}\n";
            Files.writeString(dir.resolve("report.java"), body);
            String classPath = jbang(dir, env, "--class-path", REPO.resolve("build/passsafe.jar").toString(), "report.java");
            assertEquals("secret=" + SECRET, runToEnd(launch(classPath, dir, env)));
            Path deps = Files.createDirectories(dir.resolve("deps"));
            Files.writeString(deps.resolve("report.java"), "//DEPS io.github.passsafe:passsafe:0.1.0\n" + body);
            String coordinates = jbang(deps, env, "report.java");
            assertTrue(coordinates.contains("io/github/passsafe/passsafe/0.1.0/passsafe-0.1.0.jar"), coordinates);
            assertEquals("secret=" + SECRET, runToEnd(launch(coordinates, deps, env)));
        }
    }
}
