package passsafe;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code passsafe} with no command: options, then questions (a duration and the secrets), then the
 * announcement of the passphrase and token, then the {@link Server} runs until the safe ends.
 */
final class ServerCommand {
    private final int iterations;
    private final Duration minute;
    private final Terminal terminal;
    private final Questions questions;
    private final Reporter reporter;
    private final Map<String, String> env;

    /** {@code iterations} and {@code minute} are seams: tests shorten both, production never. */
    ServerCommand(int iterations, Duration minute, Terminal terminal, Questions questions, Reporter reporter, Map<String, String> env) {
        this.env = env;
        this.iterations = iterations;
        this.minute = minute;
        this.terminal = terminal;
        this.questions = questions;
        this.reporter = reporter;
    }

    /** Runs the server; {@code harden} makes the process non-dumpable first, before any secret exists. */
    int run(String[] args, boolean harden) throws Failure {
        ServerOptions options = ServerOptions.parse(args);
        if (options.help) {
            terminal.print(Usage.SERVER);
            return 0;
        }
        if (options.version) {
            terminal.println(Main.versionLine());
            return 0;
        }
        if (options.background && !Background.isChild(env)) {
            return Background.start(args, options, questions, terminal);
        }
        String dumpable = harden ? Hardening.nonDumpable(Text.LAUNCHER) : null;
        // The passphrase is chosen, and its slow key derivation started, before anything else: it
        // runs on a thread of its own while the ports are bound and the user types, even when all
        // the input is piped at once (make bench: start to serving). After the hardening, so no
        // secret exists before the process is non-dumpable.
        SecureRandom random = new SecureRandom();
        char[] passphrase = Passphrase.generate(random);
        Sealer sealer = new Sealer(passphrase, iterations);
        try (Server server = Server.listen(options.port, env, events())) {
            if (dumpable != null) {
                reporter.note(dumpable);
            }
            warnings(server.hasSocket());
            Safe safe;
            try {
                safe = seal(options, server, random, passphrase, sealer);
            } finally {
                // The passphrase is printed and the secrets sealed: neither it nor the key is kept.
                Arrays.fill(passphrase, '\0');
                sealer.close();
            }
            OutputStream log = Background.isChild(env) ? openLog(server) : null;
            State end = server.serve(safe, minute, () -> {
                terminal.println(Text.serving(server.port()));
                if (log != null) {
                    terminal.moveTo(log);
                }
            });
            terminal.println(Text.ended(end, LocalTime.now().format(Terminal.CLOCK), safe.named()));
            // Someone tried tokens, or a signal ended it: a script that started the safe should hear of it.
            return end == State.LOCKED || end == State.INTERRUPTED ? Failure.FAILED : 0;
        } catch (CannotServe e) {
            throw Failure.of(e.getMessage(), e.hint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.of(Text.INTERRUPTED, null);
        } finally {
            // Also when binding failed; closing twice is harmless.
            Arrays.fill(passphrase, '\0');
            sealer.close();
        }
    }

    private Server.Events events() {
        return new Server.Events() {
            @Override
            public void note(String note) {
                reporter.note(note);
            }

            @Override
            public void log(String line) {
                terminal.log(line);
            }

            @Override
            public void interrupted(boolean served) {
                terminal.printQuietly(served ? Text.interrupted(true) + "\n" : "\n" + Text.NOT_STARTED + "\n");
            }
        };
    }

    /** Says once, at start-up, which protections this process lacks and how to get them. */
    private void warnings(boolean socket) {
        if (ProcNet.ownUid() < 0) {
            reporter.note(Text.NO_PROC_NET);
        }
        if (!socket) {
            reporter.note(Text.TCP_ONLY);
        }
        if (!ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+DisableAttachMechanism")) {
            reporter.warning(Text.ATTACH_ENABLED);
        }
    }

    /**
     * Asks for the duration and each secret and seals them under {@code sealer}'s key, derived
     * from {@code passphrase} while the user types; prints the passphrase and a fresh token.
     */
    private Safe seal(ServerOptions options, Server server, SecureRandom random, char[] passphrase, Sealer sealer) throws Failure, CannotServe {
        Duration duration = options.duration != null ? options.duration : questions.duration();
        Envelope[] envelopes = new Envelope[options.secrets.size()];
        for (int i = 0; i < envelopes.length; i++) {
            String name = options.secrets.get(i);
            envelopes[i] = options.files.containsKey(name) ? sealFile(sealer, name, options.files.get(name))
                    : sealOne(sealer, name, options.named());
        }
        byte[] token = Token.generate(random);
        try {
            Announcement.print(terminal, options, duration, passphrase, token);
            if (options.session) {
                terminal.println(Text.sessionWritten(server.writeSession(sealer, token)));
            }
        } catch (CannotServe | RuntimeException e) {
            Arrays.fill(token, (byte) 0);
            throw e;
        }
        Duration idle = options.idle == null ? null : scaled(options.idle);
        byte[] keyCheck = sealer.keyCheck();
        try {
            return new Safe(token, new Safe.Limits(scaled(duration), options.uses, idle), keyCheck, envelopes);
        } finally {
            Arrays.fill(keyCheck, (byte) 0);
        }
    }

    private Envelope sealOne(Sealer sealer, String name, boolean named) throws Failure {
        char[] secret = questions.secret(name, named);
        byte[] bytes;
        try {
            bytes = Utf8.encode(secret);
        } catch (IllegalArgumentException notText) {
            throw Text.notText(Text.secretWhat(name, named));
        } finally {
            Arrays.fill(secret, '\0');
        }
        return sealed(sealer, name, bytes);
    }

    /** The file's bytes as they are, whatever they hold: a key, a credentials file. */
    private static Envelope sealFile(Sealer sealer, String name, Path file) throws Failure {
        return sealed(sealer, name, SecretFile.read(file));
    }

    private static Envelope sealed(Sealer sealer, String name, byte[] bytes) {
        try {
            return sealer.seal(name, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Tests shrink time through the {@code minute} seam; in production a minute is a minute. */
    private Duration scaled(Duration duration) {
        return Duration.ofNanos(minute.toNanos() * duration.getSeconds() / 60);
    }

    /** A background safe's log, named on the terminal before it moves there; beside the socket, or in the user's directory. */
    private OutputStream openLog(Server server) throws Failure, CannotServe {
        Path path = PrivateDirectory.Kind.LOG.in(server.directory(), server.port());
        try {
            OutputStream log = PrivateDirectory.log(server.directory(), server.port());
            terminal.println(Text.logGoesTo(path));
            return log;
        } catch (IOException e) {
            throw Failure.of(Text.cannotStartBackground("cannot write its log " + path + ": " + e.getMessage()), null);
        }
    }
}
