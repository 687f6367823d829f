package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a real process with real defaults (600,000 iterations), fed through a pipe. */
class EndToEndTest {
    static final String SECRET = "correct horse battery staple";

    @Test
    void jar_pipedServer_clientGetsTheSecret() throws Exception {
        try (JarServer server = JarServer.start(SECRET)) {
            assertEquals(SECRET, server.client().password());
            assertEquals(SECRET, Client.at(server.url, server.passphrase, server.token).password());
            assertFalse(String.join("\n", server.printed).contains(SECRET));
            assertTrue(server.printed.contains("passsafe: warning: other programs of your user can attach to this JVM and dump its memory;"
                    + " start the server with passsafe.sh, or java -XX:+DisableAttachMechanism -jar passsafe.jar"), server.printed.toString());
        }
    }

    @Test
    void get_asARealProcessThroughAPipe_printsExactlyTheSecret() throws Exception {
        try (JarServer server = JarServer.start(SECRET)) {
            ProcessBuilder builder = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toString(),
                    "get", "--url", server.url);
            builder.environment().put(Locator.PASSPHRASE, server.passphrase);
            builder.environment().put(Locator.TOKEN, server.token);
            Cli.Run get = Processes.run(builder);
            assertEquals(0, get.status(), get.err());
            assertEquals(SECRET, get.out(), "no newline when standard output is a pipe");
        }
    }

    /** Real defaults: used up, the jar says why for its 10-second grace, exits, frees its port, and a later get still learns why. */
    @Test
    void jar_usedUp_exitsAtOnceAndALaterGetStillLearnsWhy() throws Exception {
        try (JarServer server = JarServer.started("5\n" + SECRET + "\n", JarServer.jar("--uses", "1"))) {
            assertEquals(SECRET, server.client().password());
            assertTrue(server.process.waitFor(60, TimeUnit.SECONDS), "the used-up safe did not exit");
            assertEquals(0, server.process.exitValue());
            String printed = String.join("\n", server.stopAndRead());
            assertTrue(printed.contains("The safe's uses are used up: the password is wiped from memory."), printed);
            try (java.net.ServerSocket again = new java.net.ServerSocket(server.port, 1, java.net.InetAddress.getLoopbackAddress())) {
                assertEquals(server.port, again.getLocalPort());
            }
            ProcessBuilder builder = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toString(),
                    "get", "--port", Integer.toString(server.port));
            builder.environment().put(Locator.PASSPHRASE, server.passphrase);
            builder.environment().put(Locator.TOKEN, server.token);
            Cli.Run get = Processes.run(builder);
            assertEquals(1, get.status());
            assertTrue(get.err().matches("passsafe: error: the safe on port " + server.port + ", which ended at [0-9:]{5}, no longer holds its secrets:"
                    + " its uses are used up; start a new safe and use the passphrase and token it prints\n"), get.err());
        }
    }

    @Test
    void script_passphraseWithNewlinesInTheEnvironment_passesWhole() throws Exception {
        try (JarServer server = JarServer.start(SECRET)) {
            ProcessBuilder builder = new ProcessBuilder("./passsafe.sh", "get", "--port", Integer.toString(server.port));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            // As pasted from a terminal that wrapped the words: the same passphrase to java -jar and to passsafe.sh.
            builder.environment().put(Locator.PASSPHRASE, server.passphrase.replace(" ", "\n"));
            builder.environment().put(Locator.TOKEN, server.token);
            Cli.Run get = Processes.run(builder);
            assertEquals(0, get.status(), get.err());
            assertEquals(SECRET, get.out());
        }
    }

    @Test
    void jar_withoutItsWordList_isOneErrorLineNotAStackTrace(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.jar");
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(JarServer.JAR));
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(broken))) {
            for (java.util.zip.ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.getName().equals("wordlist.txt")) {
                    out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Process server = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-XX:+DisableAttachMechanism", "-jar", broken.toString(),
                "--port", "0").start();
        try (var stdin = server.getOutputStream()) {
            stdin.write("1\nsecret\n".getBytes(StandardCharsets.UTF_8));
        }
        String err = new String(server.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, server.exitValue(), err);
        assertTrue(err.endsWith("passsafe: error: this passsafe.jar cannot run: wordlist.txt is missing from the jar; rebuild it with make\n"), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
    }

    /** Runs {@code script} in jshell with the jar on its class path; what it printed, trimmed. */
    private static String jshell(Path script) throws Exception {
        // stderr is jshell's own chatter (it may log that it created a preferences directory).
        Process jshell = new ProcessBuilder(JarServer.jdkTool("jshell").toString(), "--class-path", JarServer.JAR.toString(), script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        jshell.getOutputStream().close();
        String output = new String(jshell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jshell.waitFor(60, TimeUnit.SECONDS), "jshell finished");
        return output.trim();
    }

    @Test
    void jshell_clientLocal_getsTheSecretOfASessionModeSafe(@TempDir Path dir) throws Exception {
        try (JarServer server = JarServer.started("1\n" + SECRET + "\n", JarServer.jar("--session"))) {
            Path script = dir.resolve("local.jsh");
            // The README's first-screen line, found with no URL: the one safe of this user's that runs.
            Files.writeString(script, "var secret = passsafe.Client.local().secret();\nSystem.out.println(\"shown=\" + secret);\n"
                    + "secret.use(chars -> System.out.println(\"secret=\" + new String(chars)));\n/exit\n");
            assertEquals("shown=[REDACTED]\nsecret=" + SECRET, jshell(script));
            assertFalse(Files.readString(script).contains(server.passphrase), "the script holds no credential");
        }
    }

    @Test
    void status_intoAPipeClosedByItsReader_isOneErrorLineNotAStackTrace() throws Exception {
        try (JarServer server = JarServer.start(SECRET)) {
            for (String command : new String[] {"status", "get"}) {
                ProcessBuilder builder = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toString(),
                        command, "--url", server.url);
                builder.environment().put(Locator.PASSPHRASE, server.passphrase);
                builder.environment().put(Locator.TOKEN, server.token);
                Process process = builder.start();
                // As under "| head -c 0": the reader is gone before the JVM has even started.
                process.getInputStream().close();
                process.getOutputStream().close();
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(60, TimeUnit.SECONDS));
                assertEquals(1, process.exitValue(), err);
                assertEquals("passsafe: error: cannot write to standard output: it was closed (by head, say) before passsafe finished\n", err);
            }
        }
    }

    @Test
    void script_startsTheJarWithAttachProtection() throws Exception {
        try (JarServer server = JarServer.startScript(SECRET)) {
            assertEquals(SECRET, server.client().password());
            assertTrue(server.printed.stream().noneMatch(line -> line.contains("warning")), server.printed.toString());
        }
    }

    @Test
    void jar_onJshellClassPath_clientGetsTheSecret(@TempDir Path dir) throws Exception {
        try (JarServer server = JarServer.start(SECRET)) {
            Path script = dir.resolve("fetch.jsh");
            Files.writeString(script, "var client = passsafe.Client.at(\"" + server.url + "\", \"" + server.passphrase + "\", \"" + server.token
                    + "\");\nSystem.out.println(\"secret=\" + client.password());\n/exit\n");
            assertEquals("secret=" + SECRET, jshell(script));
        }
    }

    @Test
    void scriptExec_childFindsNeitherPassphraseNorTokenInItsParentsEnviron() throws Exception {
        try (JarServer server = JarServer.started("5\nfirst\nsecond\n", JarServer.jar("--secret", "one", "--secret", "two"))) {
            Announced safe = new Announced(server.passphrase, server.token, server.url, server.port);
            // The command reads its parent's (the JVM's) environment, as any process of the user could.
            ProcessBuilder builder = new ProcessBuilder("./passsafe.sh", "exec", "--port", Integer.toString(safe.port()), "--env", "A=one", "--",
                    "/bin/sh", "-c", "tr '\\0' '\\n' < /proc/$PPID/environ; echo \"child A=$A\"; env | grep -c PASSSAFE_ || true");
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put(Locator.PASSPHRASE, safe.passphrase());
            builder.environment().put(Locator.TOKEN, safe.token());
            Process exec = builder.start();
            exec.getOutputStream().close();
            String out = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(exec.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(exec.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, exec.exitValue(), err);
            assertTrue(out.contains("child A=first\n"), out);
            assertTrue(out.contains("JAVA_HOME="), "the parent's environ was read: " + out);
            assertFalse(out.contains(safe.passphrase()), "the passphrase is in the parent's environ");
            assertFalse(out.contains(safe.token()) || out.contains(safe.token().replace(" ", "")), "the token is");
            assertFalse(out.contains("PASSSAFE_PASSPHRASE") || out.contains("PASSSAFE_TOKEN"), out);
            assertTrue(out.endsWith("\n0\n"), "no PASSSAFE_ variable in the child's own environment: " + out);
        }
    }
}
