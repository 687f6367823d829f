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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code passsafe} with no command: binds, asks for a duration and the secrets, seals them under
 * a fresh passphrase, prints the passphrase and token, and serves until the safe ends.
 */
final class ServerCommand {
    private final int iterations;
    private final Duration minute;
    private final Terminal terminal;
    private final Questions questions;
    private final Reporter reporter;
    private final Map<String, String> env;
    /** The session file, with --session, once written; removed at every end. */
    private volatile Path session;
    /** The port served, once bound. */
    private int port;
    /** The id the session file and every status carry, so a client can tell this safe's file from a stale one. */
    private final String sessionId = SessionWriter.newId();

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
        int uid = ProcNet.ownUid();
        try (Server server = Server.listen(options.port, uid); UnixServer unix = UnixServer.listen(env, server.port(), reporter::note)) {
            return serve(options, server, unix, uid, dumpable, random, passphrase, sealer);
        } catch (CannotServe e) {
            throw Failure.of(e.getMessage(), e.hint);
        } finally {
            // Also when binding failed; closing twice is harmless.
            Arrays.fill(passphrase, '\0');
            sealer.close();
        }
    }

    private int serve(ServerOptions options, Server server, UnixServer unix, int uid, String dumpable, SecureRandom random, char[] passphrase,
            Sealer sealer) throws Failure, CannotServe {
        {
            if (dumpable != null) {
                reporter.note(dumpable);
            }
            port = server.port();
            warnings(uid, unix);
            // The port is ours now: a session file for it is a killed safe's, whose token would lock this one.
            SessionWriter.removeStale(env, server.port());
            Handler handler = new Handler(new Gate(server.port(), uid), terminal::log);
            if (options.session) {
                handler.session(sessionId);
            }
            server.start(handler);
            if (unix != null) {
                unix.start(handler);
            }
            // Ctrl-C or a signal while the questions are asked: the line ends, the socket goes, and it says so.
            Thread notStarted = new Thread(() -> {
                close(unix);
                terminal.printQuietly("\n" + Text.NOT_STARTED + "\n");
            }, "passsafe-not-started");
            Runtime.getRuntime().addShutdownHook(notStarted);
            Safe safe;
            try {
                safe = seal(options, server.port(), unix, random, passphrase, sealer);
            } finally {
                // The passphrase is printed and the secrets sealed: neither it nor the key is kept.
                Arrays.fill(passphrase, '\0');
                sealer.close();
                removeHook(notStarted);
            }
            return guard(safe, server, unix, handler);
        }
    }

    /** Says once, at start-up, which protections this process lacks and how to get them. */
    private void warnings(int uid, UnixServer unix) {
        if (uid < 0) {
            reporter.note(Text.NO_PROC_NET);
        }
        if (unix == null) {
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
    private Safe seal(ServerOptions options, int port, UnixServer unix, SecureRandom random, char[] passphrase, Sealer sealer)
            throws Failure, CannotServe {
        Duration duration = options.duration != null ? options.duration : questions.duration();
        Envelope[] envelopes = new Envelope[options.secrets.size()];
        for (int i = 0; i < envelopes.length; i++) {
            envelopes[i] = sealOne(sealer, options.secrets.get(i), options.named());
        }
        byte[] token = Token.generate(random);
        try {
            Announcement.print(terminal, options, duration, passphrase, token);
            if (options.session) {
                // Beside the socket; without one (JDK 11 to 15), in the first directory of the user's that can be used.
                Path dir = unix != null ? unix.socket().getParent() : SafeDirectory.prepare(env, reporter::note);
                session = SessionWriter.write(dir, port, sealer, token, sessionId);
                terminal.println(Text.sessionWritten(session));
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
        try {
            return sealer.seal(name, secret);
        } catch (IllegalArgumentException notText) {
            throw Text.notText(Text.secretWhat(name, named));
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** Tests shrink time through the {@code minute} seam; in production a minute is a minute. */
    private Duration scaled(Duration duration) {
        return Duration.ofNanos(minute.toNanos() * duration.getSeconds() / 60);
    }

    /**
     * Serves until the safe ends, then leaves the record of how and exits at once. Ctrl-C, SIGTERM
     * and SIGHUP wipe it and remove its socket on the way out; refusals are summed up once a minute.
     */
    private int guard(Safe safe, Server server, UnixServer unix, Handler handler) throws Failure, CannotServe {
        Thread wipeOnExit = new Thread(() -> {
            safe.end(State.INTERRUPTED);
            ended(State.INTERRUPTED, unix);
            terminal.hideStatus();
            terminal.printQuietly(Text.interrupted(safe.named()) + "\n");
        }, "passsafe-wipe");
        Runtime.getRuntime().addShutdownHook(wipeOnExit);
        ScheduledExecutorService summaries = Executors.newSingleThreadScheduledExecutor(Threads.daemon("summary"));
        summaries.scheduleAtFixedRate(handler::summarize, minute.toNanos(), minute.toNanos(), TimeUnit.NANOSECONDS);
        try {
            handler.open(safe);
            OutputStream log = Background.isChild(env) ? openLog(unix) : null;
            terminal.println(Text.serving(server.port()));
            if (log != null) {
                terminal.moveTo(log);
            }
            // Sealing made garbage the JDK's AES code keeps the key in: a collection, once, clears it.
            System.gc();
            terminal.showStatus(() -> Text.statusBar(safe.status(), safe.idleLeft()));
            State end = safe.awaitEnd();
            ended(end, unix);
            server.finish();
            terminal.hideStatus();
            terminal.println(Text.ended(end, LocalTime.now().format(Terminal.CLOCK), safe.named()));
            // Someone tried tokens, or a signal ended it: a script that started the safe should hear of it.
            return end == State.LOCKED || end == State.INTERRUPTED ? Failure.FAILED : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.of(Text.INTERRUPTED, null);
        } finally {
            SafeDirectory.remove(session);
            summaries.shutdownNow();
            terminal.hideStatus();
            safe.end(State.INTERRUPTED);
            removeHook(wipeOnExit);
        }
    }

    /** A background safe's log, named on the terminal before it moves there; beside the socket, or in the user's directory. */
    private OutputStream openLog(UnixServer unix) throws Failure, CannotServe {
        Path dir = unix != null ? unix.socket().getParent() : SafeDirectory.prepare(env, reporter::note);
        Path path = Background.logPath(dir, port);
        try {
            OutputStream log = Background.openLog(path);
            terminal.println(Text.logGoesTo(path));
            return log;
        } catch (IOException e) {
            throw Failure.of(Text.cannotStartBackground("cannot write its log " + path + ": " + e.getMessage()), null);
        }
    }

    /**
     * Nothing is left to protect: the record of how the safe ended goes first, so no client finds
     * the socket gone without it; then the session file and the socket.
     */
    private void ended(State end, UnixServer unix) {
        try {
            EndedNote.write(unix != null ? unix.socket().getParent() : SafeDirectory.prepare(env, reporter::note), port, end);
        } catch (IOException | CannotServe e) {
            reporter.note(Text.noNote(e.getMessage()));
        }
        SafeDirectory.remove(session);
        close(unix);
    }

    private static void close(UnixServer unix) {
        if (unix != null) {
            unix.close();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to: it does the same wipe.
        }
    }
}
