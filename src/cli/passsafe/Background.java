package passsafe;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code passsafe --background}: the duration and the secrets are asked here, in the terminal, as
 * usual; then the safe starts as a process of its own session, with no controlling terminal, so
 * closing the terminal (a JupyterLab tab, an ssh session) no longer ends it, as ssh-agent runs.
 * The secrets reach it through a pipe. This process relays what the safe prints up to its
 * {@code Serving on} line (the passphrase and token, which never go to a file), says how to see
 * and stop it, and exits. From then on the safe's access lines and its end go to {@code PORT.log}
 * in the user's private directory, {@code 0600}.
 */
final class Background {
    /** Set in the environment of the safe this starts: it asks nothing aloud and logs to its file once serving. */
    static final String CHILD = "PASSSAFE_BACKGROUND";
    private static final Path SETSID = Paths.get("/usr/bin/setsid");
    private static final byte[] SERVING = "Serving on ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LINE_BYTES = 4096;

    private Background() {}

    static boolean isChild(Map<String, String> env) {
        return "1".equals(env.get(CHILD));
    }

    /**
     * Asks for what {@code options} does not say, starts the safe with {@code args} in a session of
     * its own, relays its start, and returns: 0 once it serves, else its own exit status.
     */
    static int start(String[] args, ServerOptions options, Questions questions, Terminal terminal) throws Failure {
        if (!Files.isExecutable(SETSID)) {
            throw Failure.of(Text.NO_SETSID, Text.NO_SETSID_HINT);
        }
        Duration duration = options.duration != null ? options.duration : questions.duration();
        List<char[]> secrets = new ArrayList<>();
        try {
            for (String name : options.secrets) {
                // A file's secret the safe reads itself, from the same --from-file.
                if (!options.files.containsKey(name)) {
                    secrets.add(questions.secret(name, options.named()));
                }
            }
            Process safe = launch(command(args, options.duration == null ? duration : null));
            feed(safe, secrets);
            wipe(secrets); // handed over: nothing here needs them while the safe starts
            return relay(safe, terminal);
        } finally {
            wipe(secrets);
        }
    }

    private static void wipe(List<char[]> secrets) {
        for (char[] secret : secrets) {
            Arrays.fill(secret, '\0');
        }
    }

    private static Process launch(List<String> command) throws Failure {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(CHILD, "1");
        try {
            return builder.start();
        } catch (IOException e) {
            throw Failure.of(Text.cannotStartBackground(e.getMessage()), null);
        }
    }

    /**
     * This JVM's own command again, flags included (passsafe.sh's protections), under setsid,
     * without {@code --background} and with the duration that was asked for.
     */
    static List<String> command(String[] args, Duration asked) {
        String launcher = ProcessHandle.current().info().command().orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(SETSID.toString(), launcher));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String classPath = System.getProperty("java.class.path");
        // From a jar, -jar again: its manifest allows the native call that makes the server non-dumpable.
        command.addAll(classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)
                ? List.of("-jar", classPath) : List.of("-cp", classPath, Main.class.getName()));
        for (String arg : args) {
            if (!arg.equals(ServerOptions.BACKGROUND_FLAG)) {
                command.add(arg);
            }
        }
        if (asked != null) {
            command.addAll(List.of("--duration", asked.getSeconds() + "s"));
        }
        return command;
    }

    /** Writes each secret, a line each, into the safe's standard input, from wiped buffers. */
    private static void feed(Process safe, List<char[]> secrets) {
        try (OutputStream in = safe.getOutputStream()) {
            for (char[] secret : secrets) {
                char[] line = Arrays.copyOf(secret, secret.length + 1);
                line[secret.length] = '\n';
                byte[] bytes = Utf8.encode(line);
                Arrays.fill(line, '\0');
                try {
                    in.write(bytes);
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
        } catch (IOException ended) {
            // The safe ended before reading them: what it printed says why.
        }
    }

    /** Copies the safe's lines to the terminal up to {@code Serving on}, through wiped buffers: they hold the passphrase. */
    private static int relay(Process safe, Terminal terminal) throws Failure {
        byte[] line = new byte[MAX_LINE_BYTES];
        try (InputStream out = safe.getInputStream()) {
            int n = 0;
            for (int b = out.read(); b != -1; b = out.read()) {
                if (n < line.length) {
                    line[n++] = (byte) b;
                }
                if (b == '\n') {
                    terminal.relay(line, n);
                    if (n >= SERVING.length && Arrays.equals(line, 0, SERVING.length, SERVING, 0, SERVING.length)) {
                        terminal.println(Text.runsInBackground(safe.pid()));
                        return 0;
                    }
                    Arrays.fill(line, (byte) 0);
                    n = 0;
                }
            }
            return safe.waitFor();
        } catch (IOException e) {
            throw Failure.of(Text.cannotStartBackground(e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.of(Text.INTERRUPTED, null);
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }
}
