package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The server's terminal and its pipe: the access lines, never a secret. */
class OwnersViewTest {
    private static final String SECRET = "owners-view-secret";

    /**
     * Runs the real jar with {@code command} around it, retrieves once, waits for {@code expected}
     * in what it prints, and returns all it printed.
     */
    private static String runAndRetrieveOnce(List<String> command, String expected) throws Exception {
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        Output printed = new Output();
        Thread reader = new Thread(() -> {
            try (InputStream in = server.getInputStream()) {
                in.transferTo(printed);
            } catch (Exception ended) {
                // the server was stopped
            }
        });
        reader.start();
        try (OutputStream in = server.getOutputStream()) {
            in.write("1\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            // On a terminal the prompt shows once echo is off: only then is the password typed.
            printed.await("Enter the user password to store:", Duration.ofSeconds(30));
            in.write((SECRET + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            Announced announced = Announced.parse(printed.await("Serving on", Duration.ofSeconds(30)));
            assertEquals(SECRET, announced.client(false).password());
            printed.await(expected, Duration.ofSeconds(30));
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        return printed.text();
    }

    private static List<String> jar() {
        return List.of(JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toString(), "--port", "0", "--uses", "5");
    }

    @Test
    void onATerminal_theAccessLinesAndNothingSecret() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        String printed = runAndRetrieveOnce(List.of("/usr/bin/script", "-qfec", String.join(" ", jar()), "/dev/null"),
                ": retrieved password (4 uses left, 3 attempts left)");
        assertTrue(printed.matches("(?s).*\\d\\d:\\d\\d:\\d\\d  " + Pattern.quote(System.getProperty("user.name"))
                + " \\(socket\\): retrieved password \\(4 uses left, 3 attempts left\\)\r?\n.*"), printed);
        assertFalse(printed.contains(SECRET), "the secret was shown");
    }

    @Test
    void elsewhere_onlyTheAccessLines() throws Exception {
        String printed = runAndRetrieveOnce(jar(), ": retrieved password (4 uses left, 3 attempts left)\n");
        assertTrue(printed.contains(": retrieved password (4 uses left, 3 attempts left)\n"), printed);
        assertFalse(printed.contains(SECRET), "the secret was shown");
    }
}
