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
            Envelope[] envelopes;
            Duration duration;
            try {
                duration = options.duration != null ? options.duration : askDuration();
                char[][] secrets = askSecrets(options);
                envelopes = seal(options.secrets, secrets, key.join(), salt);
            } catch (Failure | RuntimeException e) {
                key.thenAccept(k -> Arrays.fill(k, (byte) 0));
                Arrays.fill(passphrase, '\0');
                throw e;
            }
            byte[] token = Token.generate(random);
            announce(options, duration, passphrase, token);
            Arrays.fill(passphrase, '\0');
            Safe.Limits limits = new Safe.Limits(scaled(duration), options.uses, options.idle == null ? null : scaled(options.idle));
            return guard(new Safe(token, limits, envelopes), server);
        }
    }

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

    /** Binds before anything is asked, and refuses a port another user listens on too. */
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

    /** Tests shrink time through the {@code minute} seam; in production a minute is a minute. */
    private Duration scaled(Duration duration) {
        return Duration.ofNanos(minute.toNanos() * duration.getSeconds() / 60);
    }

    private Duration askDuration() throws Failure {
        String label = "Specify the storage duration in minutes (default=" + Options.DEFAULT_DURATION.toMinutes() + "): ";
        while (true) {
            String line = read(() -> prompt.line(label));
            if (line == null) {
                throw Failure.input("standard input ended before the storage duration", "give the duration and the password, one line each");
            }
            Duration duration = line.trim().isEmpty() ? Options.DEFAULT_DURATION : Durations.parse(line);
            if (duration != null) {
                return duration;
            }
            if (!prompt.interactive()) {
                throw Failure.input("the storage duration is not valid: " + Durations.RULE,
                        "the first line of standard input is the duration, each next line a secret");
            }
            err.println("passsafe: " + Durations.RULE + "; try again");
        }
    }

    /** One hidden prompt per secret, in the order of the --secret options. */
    private char[][] askSecrets(Options options) throws Failure {
        char[][] secrets = new char[options.secrets.size()][];
        try {
            for (int i = 0; i < secrets.length; i++) {
                String name = options.secrets.get(i);
                secrets[i] = askSecret(options.named() ? "Enter the secret '" + name + "' to store: " : "Enter the user password to store: ",
                        options.named() ? "the secret '" + name + "'" : "the password");
            }
            return secrets;
        } catch (Failure | RuntimeException e) {
            for (char[] secret : secrets) {
                if (secret != null) {
                    Arrays.fill(secret, '\0');
                }
            }
            throw e;
        }
    }

    private char[] askSecret(String label, String what) throws Failure {
        while (true) {
            char[] secret = read(() -> prompt.secret(label));
            if (secret == null) {
                throw Failure.input("standard input ended before " + what, "give the duration and each secret, one line each");
            }
            if (secret.length > 0) {
                return secret;
            }
            if (!prompt.interactive()) {
                throw Failure.input("the line for " + what + " on standard input is empty", "put each secret on its own line after the duration");
            }
            err.println("passsafe: " + what + " is empty; type it again (it is not shown)");
        }
    }

    /** Seals each secret on its own (a fresh nonce each) under the one key, then wipes them and the key. */
    private Envelope[] seal(java.util.List<String> names, char[][] secrets, byte[] key, byte[] salt) {
        Envelope[] envelopes = new Envelope[secrets.length];
        try {
            for (int i = 0; i < secrets.length; i++) {
                byte[] plaintext = Utf8.encode(secrets[i]);
                Arrays.fill(secrets[i], '\0');
                try {
                    envelopes[i] = Envelope.seal(names.get(i), plaintext, key, salt, iterations);
                } finally {
                    Arrays.fill(plaintext, (byte) 0);
                }
            }
            return envelopes;
        } finally {
            for (char[] secret : secrets) {
                Arrays.fill(secret, '\0');
            }
            Arrays.fill(key, (byte) 0);
        }
    }

    private void announce(Options options, Duration duration, char[] passphrase, byte[] token) {
        terminal.println(LOGO);
        String period = Durations.describe(duration);
        terminal.println(options.named()
                ? "Your secrets " + String.join(", ", options.secrets) + " are stored in the safe for a period of " + period + "."
                : "Your password is stored in the safe for a period of " + period + ".");
        if (options.uses > 0) {
            terminal.println("The safe wipes itself after " + options.uses + (options.uses == 1 ? " retrieval." : " retrievals."));
        }
        if (options.idle != null) {
            terminal.println("The safe wipes itself after " + Durations.describe(options.idle) + " without a retrieval.");
        }
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
            terminal.hideStatus();
            safe.end(Safe.State.INTERRUPTED);
            terminal.println("passsafe: interrupted: the password is wiped from memory");
        }, "passsafe-wipe");
        Runtime.getRuntime().addShutdownHook(wipeOnExit);
        try {
            server.open(safe);
            terminal.println("Serving on http://localhost:" + server.port());
            terminal.showStatus(safe::summary);
            Safe.State end = safe.awaitEnd();
            String wiped = "the " + (safe.named() ? "secrets are" : "password is") + " wiped from memory";
            if (end == Safe.State.LOCKED || end == Safe.State.USED_UP || end == Safe.State.IDLE) {
                terminal.println((end == Safe.State.LOCKED ? "The safe is locked after three invalid tokens"
                        : end == Safe.State.USED_UP ? "The safe's uses are used up" : "The safe went unused for its idle time")
                        + ": " + wiped + ". It refuses every request, saying why, until "
                        + safe.endsAt().format(Terminal.CLOCK) + "; Ctrl-C ends it now.");
                end = safe.awaitExpiry();
            }
            server.finish();
            terminal.hideStatus();
            switch (end) {
                case STOPPED:
                    terminal.println("The safe was stopped at " + LocalTime.now().format(Terminal.CLOCK) + ": " + wiped + ".");
                    return 0;
                case EXPIRED:
                    terminal.println("The storage duration has expired: " + wiped + ".");
                    return 0;
                default:
                    return Failure.FAILED; // interrupted: the shutdown hook has wiped and said so
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.of("interrupted", null);
        } finally {
            terminal.hideStatus();
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
