package passsafe;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running safe, from its bind to its last clean-up: {@link #listen} binds the loopback port and
 * the private socket before anything is asked, {@link #serve} hands the {@link Safe} to both front
 * ends until it ends, and every way out (an end of the safe, Ctrl-C, a signal, a failure) leaves
 * the record of how, removes the socket and the session file, and stops, in one place. What it
 * has to say goes to {@link Events}; the command line decides how to show it.
 */
final class Server implements AutoCloseable {
    interface Events {
        /** A note for the owner: a directory passed over, a protection this process lacks. */
        void note(String note);

        /** One access line: what a token decided, or a minute's refusals summed up. */
        void log(String line);

        /** The process is ending by a signal: the safe, if it {@code served}, is wiped. Called on the shutdown hook's thread. */
        void interrupted(boolean served);
    }

    private final TcpServer tcp;
    /** Null where this JVM has no Unix-domain sockets. */
    private final UnixServer unix;
    private final Handler handler;
    private final Map<String, String> env;
    private final Events events;
    private final Thread hook = new Thread(this::interrupted, "passsafe-interrupted");
    private volatile Safe safe;
    /** The session file, once written; removed at every end. */
    private volatile Path session;
    private boolean ended;

    private Server(TcpServer tcp, UnixServer unix, Map<String, String> env, Events events) {
        this.tcp = tcp;
        this.unix = unix;
        this.env = env;
        this.events = events;
        this.handler = new Handler(new Gate(tcp.port(), ProcNet.ownUid()), events::log);
    }

    /**
     * Binds {@code port} (0: any free one) on the loopback addresses and the private socket for it,
     * removes what an earlier safe on the port left, and starts answering: "not ready" until
     * {@link #serve}, so starting threads and loading classes happen while the user types.
     *
     * @throws CannotServe when the port or every private directory is taken
     */
    static Server listen(int port, Map<String, String> env, Events events) throws CannotServe {
        TcpServer tcp = TcpServer.listen(port, ProcNet.ownUid());
        UnixServer unix;
        try {
            unix = UnixServer.listen(env, tcp.port(), events::note);
        } catch (CannotServe | RuntimeException e) {
            tcp.close();
            throw e;
        }
        Server server = new Server(tcp, unix, env, events);
        // The port is ours now: a session file for it is a killed safe's, whose token would lock this one.
        PrivateDirectory.removeStale(env, tcp.port());
        tcp.start(server.handler);
        if (unix != null) {
            unix.start(server.handler);
        }
        Runtime.getRuntime().addShutdownHook(server.hook);
        return server;
    }

    int port() {
        return tcp.port();
    }

    /** Whether clients of this user reach the safe through its private socket: false serves TCP only (JDK 11 to 15). */
    boolean hasSocket() {
        return unix != null;
    }

    /** The user's private directory this safe keeps its files in: beside its socket, or the first usable one. */
    Path directory() throws CannotServe {
        return unix != null ? unix.socket().getParent() : directory(env, events::note);
    }

    /**
     * The first of the user's private directories that can be made or is private to them, each
     * passed over said to {@code notes}.
     *
     * @throws CannotServe when none can be used
     */
    static Path directory(Map<String, String> env, java.util.function.Consumer<String> notes) throws CannotServe {
        Path dir = PrivateDirectory.prepare(env, notes);
        if (dir == null) {
            throw new CannotServe("none of your private directories can hold the safe's files",
                    "set " + PrivateDirectory.RUNTIME_DIR + " to a directory of your own that only you can enter");
        }
        return dir;
    }

    /**
     * Writes the session file ({@code --session}): the safe's key, salt and iterations, {@code token}
     * and a fresh id that every status carries from now on, so a client tells this file from a stale one.
     */
    Path writeSession(Sealer sealer, byte[] token) throws CannotServe {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String id = KeyCheck.hex(random);
        handler.session(id);
        Path dir = directory();
        byte[] key = sealer.key();
        try {
            session = SessionFile.write(dir, port(), key, sealer.salt(), sealer.iterations(), token, id);
            return session;
        } catch (IOException e) {
            throw new CannotServe("cannot write the session file " + PrivateDirectory.Kind.SESSION.in(dir, port()) + ": " + e.getMessage(),
                    "start the safe without --session, or set " + PrivateDirectory.RUNTIME_DIR + " to a directory only you can enter");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Serves {@code safe} until it ends, then cleans up and returns how it ended; {@code serving}
     * runs once clients are answered. Refusals are summed up once per {@code minute} (a seam:
     * tests shorten it).
     */
    State serve(Safe safe, Duration minute, Runnable serving) throws InterruptedException {
        this.safe = safe;
        ScheduledExecutorService summaries = Executors.newSingleThreadScheduledExecutor(Threads.daemon("summary"));
        summaries.scheduleAtFixedRate(handler::summarize, minute.toNanos(), minute.toNanos(), TimeUnit.NANOSECONDS);
        try {
            handler.open(safe);
            serving.run();
            // Sealing made garbage the JDK's AES code keeps the key in: a collection, once, clears it.
            System.gc();
            State end = safe.awaitEnd();
            end(end);
            return end;
        } finally {
            summaries.shutdownNow();
        }
    }

    /**
     * Ends what is left: the record of how the safe ended goes first, so no client finds the socket
     * gone without it; then the session file, the socket, the port. Once, whoever calls first.
     */
    private synchronized void end(State how) {
        if (ended) {
            return;
        }
        ended = true;
        if (safe != null) {
            safe.end(how);
            try {
                EndedNote.write(directory(), port(), safe.state());
            } catch (IOException | CannotServe e) {
                events.note("could not leave the record that tells clients how the safe ended (" + e.getMessage()
                        + "); they will hear that no safe answers");
            }
        }
        PrivateDirectory.remove(session);
        tcp.close();
        if (unix != null) {
            unix.close();
        }
    }

    /** Ctrl-C, SIGTERM, SIGHUP: the same way out, said. */
    private void interrupted() {
        boolean served = safe != null;
        end(State.INTERRUPTED);
        events.interrupted(served);
    }

    /** Ends everything, also when the safe never served; the shutdown hook is no longer needed. */
    @Override
    public void close() {
        end(State.INTERRUPTED);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running: it does the same
        }
    }
}
