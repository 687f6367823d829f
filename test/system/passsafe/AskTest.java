package passsafe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Client.ask()} in a real terminal ({@code script} makes one), as jshell or a jbang script would call it. */
class AskTest {
    private static final String SECRET = "asked-for-secret";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"on the console", "on the terminal, standard output a pipe"})
    void ask_inARealTerminal_readsPassphraseAndTokenWithoutEcho(String where) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        try (JarServer server = JarServer.start(SECRET)) {
            String java = JarServer.jdkTool("java") + " -cp " + JarServer.JAR + ":build/test-classes passsafe.AskProbe " + server.url;
            String command = where.startsWith("on the console") ? java : java + " | cat";
            Process terminal = new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null").redirectErrorStream(true).start();
            Output printed = new Output();
            Thread reader = new Thread(() -> {
                try (InputStream in = terminal.getInputStream()) {
                    in.transferTo(printed);
                } catch (Exception ended) {
                    // the program ended
                }
            });
            reader.start();
            try (OutputStream keys = terminal.getOutputStream()) {
                printed.await("Passphrase:", Duration.ofSeconds(60));
                keys.write((server.passphrase + "\n").getBytes(StandardCharsets.UTF_8));
                keys.flush();
                printed.await("Token:", Duration.ofSeconds(60));
                keys.write((server.token + "\n").getBytes(StandardCharsets.UTF_8));
                keys.flush();
                printed.await("secret=", Duration.ofSeconds(60));
            } finally {
                assertTrue(terminal.waitFor(60, TimeUnit.SECONDS));
                reader.join(10_000);
            }
            String all = printed.text();
            assertTrue(all.contains("secret=" + SECRET), all);
            assertFalse(Fixture.showsPassphrase(all, server.passphrase), "the terminal echoed the passphrase:\n" + all);
            assertFalse(all.contains(server.token), "the terminal echoed the token:\n" + all);
        }
    }
}
