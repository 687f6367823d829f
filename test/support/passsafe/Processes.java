package passsafe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Real processes for the tests: run one to its end, or give one a terminal of its own. */
final class Processes {
    private Processes() {}

    /** Starts {@code builder} with no input, and returns its status and what it printed on each stream, within a minute. */
    static Cli.Run run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ended within a minute: " + builder.command());
        return new Cli.Run(process.exitValue(), out, err);
    }

    /** A shell command run in a terminal of its own ({@code script} makes one), and everything the terminal shows. */
    record InTerminal(Process process, Output printed, Thread reader) {
        static InTerminal start(String command) throws Exception {
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
            return new InTerminal(terminal, printed, reader);
        }

        /** Waits for the program to end and for the last of what it printed. */
        void awaitEnd() throws Exception {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the program in the terminal ended");
            reader.join(10_000);
        }
    }
}
