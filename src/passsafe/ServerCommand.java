package passsafe;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * {@code passsafe} with no command: asks for a duration and a password, seals the password under
 * a fresh passphrase, prints the passphrase and token, and serves until the duration ends.
 */
final class ServerCommand {
    static final String LOGO = String.join("\n",
            "",
            "                               (",
            "           )                 ) )\\ )    (",
            " `  )   ( /(  (   (   (   ( /((()/(   ))\\",
            " /(/(   )(_)) )\\  )\\  )\\  )(_))/(_)) /((_)",
            "((_)_\\ ((_)_ ((_)((_)((_)((_)_(_) _|(_))",
            "| '_ \\)/ _` |(_-<(_-<(_-</ _` ||  _|/ -_)",
            "| .__/ \\__,_|/__//__//__/\\__,_||_|  \\___|",
            "|_|",
            "");

    private final int iterations;
    private final Duration minute;
    private final Terminal terminal;
    private final Prompt prompt;
    private final PrintStream err;

    /** {@code iterations} and {@code minute} are seams: tests shorten both, production never. */
    ServerCommand(int iterations, Duration minute, Terminal terminal, Prompt prompt, PrintStream err) {
        this.iterations = iterations;
        this.minute = minute;
        this.terminal = terminal;
        this.prompt = prompt;
        this.err = err;
    }

    int run(String[] args) throws Failure {
        Options options = Options.parse(args);
        if (options.help) {
            terminal.print(Options.USAGE);
            return 0;
        }
        if (options.version) {
            terminal.println("passsafe " + Main.version());
            return 0;
        }
        return serve(options);
    }

    private int serve(Options options) throws Failure {
        int uid = ProcNet.ownUid();
        try (Server server = bind(options.port, uid)) {
            warnings(uid);
            Gate gate = new Gate(server.port(), uid);
            server.start(gate, terminal::log);
            SecureRandom random = new SecureRandom();
            char[] passphrase = Passphrase.generate(random);
            byte[] salt = Envelope.newSalt();
            // The passphrase is chosen before anything is asked, so the slow key derivation runs
            // while the user types and is done, or nearly, when Enter is pressed.
            CompletableFuture<byte[]> key = CompletableFuture.supplyAsync(() -> {
                byte[] derived = Kdf.derive(passphrase, salt, iterations);
                warmUp();
                return derived;
            });
            Envelope envelope;
            int minutes;
            try {
                minutes = options.minutes > 0 ? options.minutes : askMinutes();
                envelope = seal(askPassword(), key.join(), salt);
            } catch (Failure | RuntimeException e) {
                key.thenAccept(k -> Arrays.fill(k, (byte) 0));
                Arrays.fill(passphrase, '\0');
                throw e;
            }
            byte[] token = Token.generate(random);
            announce(minutes, passphrase, token);
            Arrays.fill(passphrase, '\0');
            return guard(new Safe(token, minute.multipliedBy(minutes), envelope), server);
        }
    }

    /** Binds before anything is asked, and refuses a port another user listens on too. */
    /**
     * Seals a throwaway byte under a throwaway key, so the cipher's first-use costs (provider
     * lookup, class loading) are paid while the user types, not after Enter.
     */
    private static void warmUp() {
        byte[] throwaway = new byte[Kdf.KEY_SIZE_IN_BYTES];
        new SecureRandom().nextBytes(throwaway);
        Envelope.seal(Names.DEFAULT, new byte[1], throwaway, Envelope.newSalt(), 1).wipe();
        Arrays.fill(throwaway, (byte) 0);
    }

    private static Server bind(int port, int uid) throws Failure {
        Server server;
        try {
            server = Server.bind(port);
        } catch (BindException e) {
            throw portTaken(port, ProcNet.otherListener(port, uid));
        } catch (IOException e) {
            throw Failure.of("cannot listen on port " + port + ": " + e.getMessage(), "choose another port with --port N");
        }
        // Another user on [::1] or 0.0.0.0 would still catch clients that try those first.
        OptionalInt squatter = ProcNet.otherListener(port, uid);
        if (squatter.isPresent()) {
            server.close();
            throw portTaken(port, squatter);
        }
        return server;
    }

    private static Failure portTaken(int port, OptionalInt otherUid) {
        if (otherUid.isPresent()) {
            return Failure.of("port " + port + " is already in use by another user (uid " + otherUid.getAsInt() + ")",
                    "that program may be waiting to catch your token; choose another port with --port N and tell the host's administrator");
        }
        return Failure.of("port " + port + " is already in use",
                "stop the other safe, or choose another port with --port N (clients then add the URL http://localhost:N)");
    }

    /** Says once, at start-up, which protections this process lacks and how to get them. */
    private void warnings(int uid) {
        if (uid < 0) {
            err.println("passsafe: note: this system has no /proc/net, so passsafe cannot tell which user connects;"
                    + " only the token guards the safe");
        }
        if (!attachDisabled()) {
            err.println("passsafe: warning: other programs of your user can attach to this JVM and dump its memory;"
                    + " start the server with ./passsafe.sh, or java -XX:+DisableAttachMechanism -jar passsafe.jar");
        }
    }

    private static boolean attachDisabled() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+DisableAttachMechanism");
    }

    private int askMinutes() throws Failure {
        String label = "Specify the storage duration in minutes (default=" + Options.DEFAULT_MINUTES + "): ";
        while (true) {
            String line = read(() -> prompt.line(label));
            if (line == null) {
                throw Failure.input("standard input ended before the storage duration", "give the duration and the password, one line each");
            }
            int minutes = Options.minutes(line);
            if (minutes > 0) {
                return minutes;
            }
            if (!prompt.interactive()) {
                throw Failure.input(Options.DURATION_RULE, "the first line of standard input is the duration, the second the password");
            }
            err.println("passsafe: " + Options.DURATION_RULE + "; try again");
        }
    }

    private char[] askPassword() throws Failure {
        while (true) {
            char[] password = read(() -> prompt.secret("Enter the user password to store: "));
            if (password == null) {
                throw Failure.input("standard input ended before the password", "give the duration and the password, one line each");
            }
            if (password.length > 0) {
                return password;
            }
            if (!prompt.interactive()) {
                throw Failure.input("the password line on standard input is empty", "put the password on the second line");
            }
            err.println("passsafe: the password is empty; type it again (it is not shown)");
        }
    }

    private Envelope seal(char[] password, byte[] key, byte[] salt) {
        byte[] plaintext = Utf8.encode(password);
        Arrays.fill(password, '\0');
        try {
            return Envelope.seal(Names.DEFAULT, plaintext, key, salt, iterations);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    private void announce(int minutes, char[] passphrase, byte[] token) {
        terminal.println(LOGO);
        terminal.println("Your password is stored in the safe for a period of " + minutes + (minutes == 1 ? " minute." : " minutes."));
        terminal.println("Use the passphrase and token below in the client application:");
        terminal.println("");
        terminal.println("Passphrase:");
        terminal.printSecret("    ", passphrase);
        terminal.println("Token:");
        char[] shown = Token.display(token);
        terminal.printSecret("    ", shown);
        Arrays.fill(shown, '\0');
        terminal.println("");
    }

    /** Serves until the duration ends; Ctrl-C wipes the safe on the way out. */
    private int guard(Safe safe, Server server) throws Failure {
        Thread wipeOnExit = new Thread(() -> {
            safe.end(Safe.State.INTERRUPTED);
            terminal.println("passsafe: interrupted: the password is wiped from memory");
        }, "passsafe-wipe");
        Runtime.getRuntime().addShutdownHook(wipeOnExit);
        try {
            server.open(safe);
            terminal.println("Serving on http://localhost:" + server.port());
            Safe.State end = safe.awaitEnd();
            server.finish();
            if (end == Safe.State.STOPPED) {
                terminal.println("The safe was stopped at " + LocalTime.now().format(Terminal.CLOCK) + ": the password is wiped from memory.");
                return 0;
            }
            if (end != Safe.State.EXPIRED) {
                return Failure.FAILED; // interrupted: the shutdown hook has wiped and said so
            }
            terminal.println("The storage duration has expired: the password is wiped from memory.");
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.of("interrupted", null);
        } finally {
            safe.end(Safe.State.INTERRUPTED);
            removeHook(wipeOnExit);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to: it does the same wipe.
        }
    }

    /** Input that may fail with an I/O error. */
    private interface Read<T> {
        T get() throws IOException;
    }

    private static <T> T read(Read<T> read) throws Failure {
        try {
            return read.get();
        } catch (IOException e) {
            throw Failure.of("cannot read standard input: " + e.getMessage(), null);
        }
    }
}
