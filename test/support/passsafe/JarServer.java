package passsafe;

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

/** The built jar (or passsafe.sh) as a real server process, real defaults, fed through a pipe. */
final class JarServer implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("passsafe.jar", "build/passsafe.jar"));

    final Process process;
    private BufferedReader out;
    final List<String> printed = new ArrayList<>();
    final String passphrase;
    final String token;
    final int port;
    final String url;

    static Path jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name);
    }

    /** {@code java -jar build/passsafe.jar --port 0}, storing {@code secret} for a minute. */
    static JarServer start(String secret) throws Exception {
        return start(secret, List.of(jdkTool("java").toString(), "-jar", JAR.toString()));
    }

    /** {@code ./passsafe.sh --port 0} with this JDK, storing {@code secret} for a minute. */
    static JarServer startScript(String secret) throws Exception {
        return start(secret, List.of("./passsafe.sh"));
    }

    private static JarServer start(String secret, List<String> command) throws Exception {
        return started("1\n" + secret + "\n", command);
    }

    /** {@code java -jar build/passsafe.jar OPTIONS --port 0}, fed {@code stdin}: a duration, then each secret. */
    static JarServer started(String stdin, List<String> command) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "build the jar first: make");
        return new JarServer(stdin, command);
    }

    /** The java command of this JDK that runs the jar, for {@link #started}. */
    static List<String> jar(String... options) {
        List<String> command = new ArrayList<>(List.of(jdkTool("java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(options));
        return command;
    }

    private JarServer(String stdin, List<String> command) throws Exception {
        List<String> args = new ArrayList<>(command);
        if (!command.contains("--port")) {
            args.addAll(List.of("--port", "0"));
        }
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            printed.add(line);
            if (line.startsWith("Serving on ")) {
                break;
            }
        }
        Announced announced = Announced.parse(String.join("\n", printed) + "\n");
        passphrase = announced.passphrase();
        token = announced.token();
        port = announced.port();
        url = announced.url();
    }

    Client client() {
        return Client.at(url, passphrase, token);
    }

    /** The JVM's pid: passsafe.sh execs java, so the launched process is the JVM itself. */
    long pid() {
        return process.pid();
    }

    /** Ends the server with SIGTERM and returns every line it printed, to its last. */
    List<String> stopAndRead() throws IOException {
        process.toHandle().destroy(); // the signal alone: Process.destroy() would close the streams too
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            printed.add(line);
        }
        return printed;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the server ends on SIGTERM");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the server", e);
        }
    }
}
