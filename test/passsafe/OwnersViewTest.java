package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The server's terminal: a live status line on a terminal, access lines only elsewhere, never a secret. */
class OwnersViewTest {
    private static final String SECRET = "owners-view-secret";
    private static final String CLEAR_LINE = "\r\033[K";

    /** Runs the real jar with {@code command} around it, retrieves once, and returns all it printed. */
    private static String runAndRetrieveOnce(List<String> command) throws Exception {
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
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
            Thread.sleep(1500); // on a terminal, the password prompt turns echo off first
            in.write((SECRET + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            Matcher m = null;
            for (int i = 0; i < 100 && (m == null || !m.find()); i++) {
                Thread.sleep(100);
                m = Pattern.compile("Passphrase:\r?\n    ([a-z ]+)\r?\nToken:\r?\n    ([0-9 ]+)\r?\n").matcher(printed.toString(StandardCharsets.UTF_8));
            }
            assertTrue(m.find(0), printed.toString(StandardCharsets.UTF_8));
            String url = printed.toString(StandardCharsets.UTF_8).replaceAll("(?s).*Serving on (http://localhost:\\d+).*", "$1");
            assertEquals(SECRET, new Client(m.group(1), m.group(2), url).password());
            Thread.sleep(2200); // two redraws of the status line
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static List<String> jar(int port) {
        return List.of(JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toString(), "--port", Integer.toString(port), "--uses", "5");
    }

    @Test
    void onATerminal_aStatusLineUnderTheAccessLines() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: no /usr/bin/script to make a terminal");
        String command = String.join(" ", jar(MainTest.freePort()));
        String printed = runAndRetrieveOnce(List.of("/usr/bin/script", "-qfec", command, "/dev/null"));
        assertTrue(printed.contains(CLEAR_LINE + "open | time left 0:5"), printed);
        assertTrue(printed.contains("| retrievals 1 | uses left 4 | attempts left 3"), printed);
        assertTrue(printed.matches("(?s).*" + Pattern.quote(CLEAR_LINE) + "\\d\\d:\\d\\d:\\d\\d  " + System.getProperty("user.name")
                + ": retrieved password \\(4 uses left, 3 attempts left\\)\r?\nopen \\|.*"), printed);
        assertFalse(printed.contains(SECRET), "the secret was shown");
    }

    @Test
    void elsewhere_onlyTheAccessLines() throws Exception {
        String printed = runAndRetrieveOnce(jar(MainTest.freePort()));
        assertTrue(printed.contains(": retrieved password (4 uses left, 3 attempts left)\n"), printed);
        assertFalse(printed.contains("\033[K") || printed.contains("| attempts left"), printed);
        assertFalse(printed.contains(SECRET), "the secret was shown");
    }
}
