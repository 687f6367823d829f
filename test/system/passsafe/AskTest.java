package passsafe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;

/** {@code Client.ask()} in a real terminal ({@code script} makes one), as jshell or a jbang script would call it. */
class AskTest {
    private static final String SECRET = "asked-for-secret";

    @org.junit.jupiter.api.Test
    void ask_onTheConsole_readsPassphraseAndTokenWithoutEcho() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        try (JarServer server = JarServer.start(SECRET)) {
            Processes.InTerminal terminal = Processes.InTerminal.start("PASSSAFE_URL=" + server.url + " " + JarServer.jdkTool("java")
                    + " -cp " + JarServer.JAR + ":build/test-classes passsafe.AskProbe");
            Output printed = terminal.printed();
            try (OutputStream keys = terminal.process().getOutputStream()) {
                printed.await("Passphrase:", Duration.ofSeconds(60));
                keys.write((server.passphrase + "\n").getBytes(StandardCharsets.UTF_8));
                keys.flush();
                printed.await("Token:", Duration.ofSeconds(60));
                keys.write((server.token + "\n").getBytes(StandardCharsets.UTF_8));
                keys.flush();
                printed.await("secret=", Duration.ofSeconds(60));
            } finally {
                terminal.awaitEnd();
            }
            String all = printed.text();
            assertTrue(all.contains("secret=" + SECRET), all);
            assertFalse(Fixture.showsPassphrase(all, server.passphrase), "the terminal echoed the passphrase:\n" + all);
            assertFalse(all.contains(server.token), "the terminal echoed the token:\n" + all);
        }
    }

    @org.junit.jupiter.api.Test
    void ask_noTerminalAtAll_failsBeforeAnyPromptSayingWhatToUse() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "skipped: no setsid to leave the terminal");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/setsid", "-w", JarServer.jdkTool("java").toString(), "-cp",
                JarServer.JAR + ":build/test-classes", "passsafe.AskProbe").redirectInput(new java.io.File("/dev/null"));
        try (JarServer server = JarServer.start(SECRET)) {
            builder.environment().put(Locator.URL, server.url);
            Cli.Run run = Processes.run(builder);
            assertTrue(run.out().equals("failed: no console to ask for the passphrase and token on;"
                    + " use passsafe.Client.local() with a safe started with passsafe --session\n"), run.out() + run.err());
            assertFalse((run.out() + run.err()).contains("Passphrase:"), "no prompt showed");
        }
    }

    @org.junit.jupiter.api.Test
    void get_inARealTerminal_aMistypedPassphraseIsAskedAgainWithoutRetypingTheRest() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        try (JarServer server = JarServer.start(SECRET)) {
            Processes.InTerminal terminal = Processes.InTerminal.start(JarServer.jdkTool("java") + " -jar " + JarServer.JAR + " get --port " + server.port);
            Output printed = terminal.printed();
            try (OutputStream keys = terminal.process().getOutputStream()) {
                printed.await("Passphrase:", Duration.ofSeconds(60));
                keys.write("three words only\n".getBytes(StandardCharsets.UTF_8));
                keys.flush();
                printed.await("type it again", Duration.ofSeconds(60));
                // Typed only once the second prompt shows, as a person would: echo goes off with the prompt, not before.
                awaitSecond(printed, "Passphrase:");
                keys.write((server.passphrase + "\n").getBytes(StandardCharsets.UTF_8));
                keys.flush();
                printed.await("Token:", Duration.ofSeconds(60));
                keys.write((server.token + "\n").getBytes(StandardCharsets.UTF_8));
                keys.flush();
                printed.await(SECRET, Duration.ofSeconds(60));
            } finally {
                terminal.awaitEnd();
            }
            String all = printed.text();
            assertTrue(all.contains("passsafe: the passphrase must be the 6 words the server printed, separated by spaces; this one has 3 words;"
                    + " type it again"), all);
            assertTrue(all.indexOf("Passphrase:") != all.lastIndexOf("Passphrase:"), "the passphrase was asked for again:\n" + all);
            assertFalse(Fixture.showsPassphrase(all, server.passphrase) || all.contains("three words only") || all.contains(server.token), all);
        }
    }

    /** Waits, for a minute at most, until {@code text} shows twice. */
    private static void awaitSecond(Output printed, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (printed.text().indexOf(text) == printed.text().lastIndexOf(text)) {
            assertTrue(System.nanoTime() < deadline, "'" + text + "' shown only once:\n" + printed.text());
            Thread.sleep(20);
        }
    }

    @org.junit.jupiter.api.Test
    void get_inARealTerminalWithNoServer_failsBeforeAskingAnything(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        int port = Fixture.closedPort();
        // A home and temporary directory of its own: no record of an earlier test's safe on that port.
        Processes.InTerminal terminal = Processes.InTerminal.start("env -u XDG_RUNTIME_DIR HOME=" + home + " TMPDIR=" + home + " "
                + JarServer.jdkTool("java") + " -jar " + JarServer.JAR + " get --port " + port);
        terminal.process().getOutputStream().close();
        terminal.awaitEnd();
        String all = terminal.printed().text();
        assertTrue(all.contains("passsafe: error: no passsafe server answers at http://localhost:" + port), all);
        assertFalse(all.contains("Passphrase:"), "nothing was asked:\n" + all);
    }

    /** Every JDK under /usr/lib/jvm with a jshell, once each, and its major version. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> jshells() throws Exception {
        java.util.Map<Path, Integer> found = new java.util.TreeMap<>();
        try (var homes = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : (Iterable<Path>) homes::iterator) {
                Path real = home.toRealPath();
                Path release = real.resolve("release");
                if (Files.isExecutable(real.resolve("bin/jshell")) && Files.isReadable(release)) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                    if (m.find()) {
                        found.put(real, Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        return found.entrySet().stream().map(e -> org.junit.jupiter.params.provider.Arguments.of(e.getValue(), e.getKey()));
    }

    @ParameterizedTest(name = "jshell {0}")
    @org.junit.jupiter.params.provider.MethodSource("jshells")
    void ask_inJshellInARealTerminal_asksWithoutEchoOrFailsBeforeAnyPrompt(int major, Path jdk) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        try (JarServer server = JarServer.start(SECRET)) {
            // A terminal of a usual size: with none, jshell's editor has no room to print its prompt.
            String jshell = "export PASSSAFE_URL=" + server.url + "; stty cols 160 rows 40; " + jdk.resolve("bin/jshell") + " --class-path " + JarServer.JAR.toAbsolutePath();
            Processes.InTerminal terminal = Processes.InTerminal.start(jshell);
            Output printed = terminal.printed();
            boolean asked;
            try (OutputStream keys = terminal.process().getOutputStream()) {
                printed.await("jshell>", Duration.ofSeconds(90));
                type(keys, "var c = passsafe.Client.ask()");
                String after = printed.await(major < 22 ? "no console" : "Passphrase:", Duration.ofSeconds(60));
                asked = after.contains("Passphrase:");
                if (asked) {
                    type(keys, server.passphrase);
                    printed.await("Token:", Duration.ofSeconds(60));
                    type(keys, server.token);
                    printed.await("c ==>", Duration.ofSeconds(60));
                    type(keys, "c.password()");
                    printed.await("\"" + SECRET + "\"", Duration.ofSeconds(60));
                }
                type(keys, "/exit");
            } finally {
                terminal.awaitEnd();
            }
            String all = printed.text();
            if (major >= 25) {
                assertTrue(asked, "jshell " + major + " lets Client.ask() use its console:\n" + all);
            }
            if (!asked) {
                assertTrue(all.contains("no console to ask for the passphrase and token on"), all);
                assertFalse(all.contains("Passphrase:"), "no prompt showed where nobody could answer it:\n" + all);
            }
            assertFalse(Fixture.showsPassphrase(all, server.passphrase), "the terminal echoed the passphrase:\n" + all);
            assertFalse(all.contains(server.token), "the terminal echoed the token:\n" + all);
        }
    }

    private static void type(OutputStream keys, String line) throws Exception {
        keys.write((line + "\r").getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }
}
