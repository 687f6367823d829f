package passsafe;

import java.io.Console;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The jar's entry point: {@code passsafe} alone starts a safe ({@link ServerCommand}),
 * {@code passsafe get|exec|status|stop} talks to one ({@link ClientCommand}), {@code help} and
 * {@code version} say what they say. Only {@link #main} calls {@code System.exit}; tests drive
 * {@link #run} in-process. {@link #run} is the one place where failures become the user's
 * {@code passsafe: error:} line and exit status, whatever threw them.
 */
final class Main {
    private final int iterations;
    private final Duration minute;
    private final File tty;
    /** Whether a server makes its process non-dumpable: the real one does; one a test runs in its own JVM does not. */
    private final boolean harden;

    /**
     * {@code iterations} and {@code minute} are seams: tests shorten both, production never.
     * {@code tty} is where the client commands ask: null in tests, which harden nothing either.
     */
    Main(int iterations, Duration minute, File tty, boolean harden) {
        this.iterations = iterations;
        this.minute = minute;
        this.tty = tty;
        this.harden = harden;
    }

    public static void main(String[] args) {
        InputStream in = new FileInputStream(FileDescriptor.in);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        Main main = new Main(Kdf.ITERATIONS, Duration.ofMinutes(1), Prompt.TTY, true);
        System.exit(main.run(args, System.getenv(), System.console(), in, out, System.err));
    }

    /** Runs the command and returns its exit status: 0 ok, 1 failure, 2 usage (exec: the command's). */
    int run(String[] args, Map<String, String> env, Console console, InputStream in, OutputStream out, PrintStream err) {
        Terminal terminal = new Terminal(out, out instanceof FileOutputStream && Terminal.stdoutIsTerminal(console));
        // A background safe's notes and errors follow its output into its log once it serves.
        Reporter reporter = new Reporter(Background.isChild(env) ? new PrintStream(terminal.stream(), true, StandardCharsets.UTF_8) : err);
        try {
            return dispatch(args, env, console, in, out, terminal, reporter);
        } catch (Failure failure) {
            return report(reporter, failure);
        } catch (Terminal.Closed e) {
            return report(reporter, Text.outputClosed());
        } catch (UncheckedIOException e) {
            return report(reporter, Text.ioError(e));
        } catch (OutOfMemoryError e) {
            return report(reporter, Text.outOfMemory());
        } catch (LinkageError e) {
            // A class or resource missing from the jar, or one that failed to load: a broken or mixed-up build.
            return report(reporter, Text.brokenJar(e));
        } catch (RuntimeException | Error e) {
            return report(reporter, Text.unexpected(e));
        }
    }

    private int dispatch(String[] args, Map<String, String> env, Console console, InputStream in, OutputStream out,
            Terminal terminal, Reporter reporter) throws Failure {
        // A file in memory that a killed exec left behind goes with the next command, whichever it is.
        MemoryFiles.removeStale(env);
        String command = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        // A background safe's starter asked aloud already: it reads its secrets from the pipe without a word.
        Questions questions = new Questions(Background.isChild(env) ? new Prompt(in, OutputStream.nullOutputStream(), null)
                : new Prompt(in, out, console != null ? Prompt.TTY : null), reporter);
        if (ClientCommand.NAMES.contains(command)) {
            Locator.Asker asker = tty == null ? null : Prompt.asker(tty, reporter::retry);
            return new ClientCommand(new Locator(Locator.withLauncherPipe(env), asker, iterations), terminal, questions, env).run(command, rest);
        }
        if (command.equals("help")) {
            return help(rest, terminal);
        }
        if (command.equals("version")) {
            if (rest.length > 0) {
                throw Failure.usage(Text.noArguments("version", ""), Text.helpHint("passsafe"));
            }
            terminal.println(versionLine());
            return 0;
        }
        return new ServerCommand(iterations, minute, terminal, questions, reporter, env).run(args, harden);
    }

    private static int help(String[] rest, Terminal terminal) throws Failure {
        String usage = rest.length == 0 ? Usage.SERVER : rest.length == 1 ? Usage.of(rest[0]) : null;
        if (usage == null) {
            throw Failure.usage(Text.NO_SUCH_COMMAND, Text.helpHint("passsafe"));
        }
        terminal.print(usage);
        return 0;
    }

    static String versionLine() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "passsafe " + (version == null ? "(development build)" : version);
    }

    private static int report(Reporter reporter, Failure failure) {
        try {
            reporter.error(failure);
        } catch (OutOfMemoryError | RuntimeException cannotSayIt) {
            // Standard error is gone too: the status alone must tell.
        }
        return failure.status;
    }
}
