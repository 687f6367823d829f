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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Ctrl-C (SIGINT) while the server still asks for the password: it says so, and leaves no socket behind. */
class InterruptTest {
    @Test
    void sigintAtThePasswordPrompt_endsTheLineSaysNotStartedAndRemovesTheSocket() throws Exception {
        Assumptions.assumeTrue(UnixSockets.available(), "skipped: this JDK has no Unix-domain sockets");
        int port = Fixture.closedPort();
        Path socket = PrivateDirectory.Kind.SOCKET.in(PrivateDirectory.candidates(System.getenv()).get(0), port);
        Process server = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-XX:+DisableAttachMechanism", "-jar", JarServer.JAR.toString(),
                "--port", Integer.toString(port)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream stdin = server.getOutputStream();
        stdin.write("1\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder printed = new StringBuilder();
        for (String line = out.readLine(); line != null && !line.startsWith("Enter the user password to store:"); line = out.readLine()) {
            printed.append(line).append('\n');
        }
        assertTrue(Files.exists(socket), "the socket is there while it asks: " + printed);
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start();
        assertEquals(0, kill.waitFor());
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            printed.append(line).append('\n');
        }
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        stdin.close();
        assertTrue(printed.toString().endsWith("\npasssafe: interrupted: the safe was not started, and nothing was stored\n"), printed.toString());
        assertFalse(Files.exists(socket), "no socket is left behind");
    }
}
