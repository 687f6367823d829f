package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a real process with real defaults (600,000 iterations), fed through a pipe. */
class EndToEndTest {
    static final Path JAR = Path.of(System.getProperty("passsafe.jar", "build/passsafe.jar"));
    static final String SECRET = "correct horse battery staple";

    private Process server;
    private final List<String> printed = new ArrayList<>();
    private String passphrase;
    private String token;
    private String url;

    static Path jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name);
    }

    @BeforeEach
    void startServer() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "build the jar first: make");
        int port = MainTest.freePort();
        url = "http://localhost:" + port;
        server = new ProcessBuilder(jdkTool("java").toString(), "-jar", JAR.toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true).start();
        try (OutputStream in = server.getOutputStream()) {
            in.write(("1\n" + SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            printed.add(line);
            if (line.startsWith("Serving on ")) {
                break;
            }
        }
        assertEquals("Serving on " + url, printed.get(printed.size() - 1), String.join("\n", printed));
        passphrase = printed.get(printed.indexOf("Passphrase:") + 1).trim();
        token = printed.get(printed.indexOf("Token:") + 1).trim();
        assertTrue(passphrase.matches("[a-z]+( [a-z]+){5}"), passphrase);
        assertTrue(token.matches("[1-9][0-9]{2} [0-9]{3}"), token);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.destroy();
        assertTrue(server.waitFor(10, TimeUnit.SECONDS), "the server ends on SIGTERM");
    }

    @Test
    void jar_pipedServer_clientGetsTheSecret() {
        assertEquals(SECRET, new Client(passphrase, token, url).password());
        assertEquals(SECRET, new Client(passphrase, Integer.parseInt(token.replace(" ", "")), url).password());
    }

    @Test
    void jar_onJshellClassPath_clientGetsTheSecret(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("fetch.jsh");
        Files.writeString(script, "var client = new passsafe.Client(\"" + passphrase + "\", \"" + token + "\", \"" + url + "\");\n"
                + "System.out.println(\"secret=\" + client.password());\n/exit\n");
        // stderr is jshell's own chatter (it may log that it created a preferences directory).
        Process jshell = new ProcessBuilder(jdkTool("jshell").toString(), "--class-path", JAR.toString(), script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        jshell.getOutputStream().close();
        String output = new String(jshell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jshell.waitFor(60, TimeUnit.SECONDS), "jshell finished");
        assertEquals("secret=" + SECRET, output.trim());
    }

    @Test
    void jar_nothingSecretIsPrintedButPassphraseAndToken() throws IOException {
        String all = String.join("\n", printed);
        assertTrue(!all.contains(SECRET), all);
    }
}
