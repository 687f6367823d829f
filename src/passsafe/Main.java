package passsafe;

import java.io.Console;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The jar's entry point: {@code passsafe} alone starts a safe ({@link ServerCommand}),
 * {@code passsafe get|exec|status|stop|help} talks to one ({@link ClientCommand}).
 * Only {@link #main} calls {@code System.exit}; tests drive {@link #run} in-process.
 */
final class Main {
    private final int iterations;
    private final Duration minute;
    private final File tty;

    /**
     * {@code iterations} and {@code minute} are seams: tests shorten both, production never.
     * {@code tty} is where the client commands ask when there is no console: null in tests.
     */
    Main(int iterations, Duration minute, File tty) {
        this.iterations = iterations;
        this.minute = minute;
        this.tty = tty;
    }

    public static void main(String[] args) {
        InputStream in = new FileInputStream(FileDescriptor.in);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        Main main = new Main(Kdf.ITERATIONS, Duration.ofMinutes(1), Credentials.TTY);
        System.exit(main.run(args, System.getenv(), System.console(), in, out, System.err));
    }

    /** Runs the command and returns its exit status: 0 ok, 1 failure, 2 usage (exec: the command's). */
    int run(String[] args, Map<String, String> env, Console console, InputStream in, OutputStream out, PrintStream err) {
        Terminal terminal = new Terminal(out, out instanceof FileOutputStream && Terminal.stdoutIsTerminal(console));
        try {
            if (args.length > 0 && ClientCommand.NAMES.contains(args[0])) {
                return new ClientCommand(iterations, new Credentials(env, console, tty), terminal).run(args);
            }
            return new ServerCommand(iterations, minute, terminal, new Prompt(console, in, terminal), err).run(args);
        } catch (Failure failure) {
            report(err, failure);
            return failure.status;
        }
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    static void report(PrintStream err, Failure failure) {
        err.println("passsafe: error: " + failure.getMessage());
        if (failure.hint != null) {
            err.println("passsafe: hint: " + failure.hint);
        }
        if (failure.usage != null) {
            err.print(failure.usage);
        }
        err.flush();
    }
}
