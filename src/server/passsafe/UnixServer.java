package passsafe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The safe's private front end, the way ssh-agent serves: HTTP/1.1 on a Unix-domain socket in a
 * directory only this user may enter, each peer's user checked with {@code SO_PEERCRED}, served by
 * the same {@link Handler} as TCP. No other user can open a connection to it, so none can crowd
 * the owner out, and no {@code /proc/net} table is read.
 */
final class UnixServer implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 64;
    /** How long a connection may take to send its next request, idle time included. */
    private static final long REQUEST_SECONDS = 30;

    private final Path socket;
    private final Object socketKey;
    private final SocketStream.Listener listener;
    private final UserPrincipal self;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final ExecutorService workers = Executors.newCachedThreadPool(Threads.daemon("unix"));
    /** Open connections, each with whether it is between reading a request and writing its answer. */
    private final Map<SocketStream, AtomicBoolean> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private UnixServer(Path socket, SocketStream.Listener listener, UserPrincipal self) throws IOException {
        this.socket = socket;
        this.listener = listener;
        this.self = self;
        this.socketKey = key(socket);
    }

    /**
     * Listens on the socket for {@code port} in this user's private directory, replacing a stale
     * socket that nothing answers on; null where this JVM has no Unix-domain sockets.
     */
    static UnixServer listen(Map<String, String> env, int port, Consumer<String> notes) throws CannotServe {
        if (!UnixSockets.available()) {
            return null;
        }
        Path socket = PrivateDirectory.Kind.SOCKET.in(Server.directory(env, notes), port);
        try {
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                replaceStale(socket);
            }
            return new UnixServer(socket, UnixSockets.listen(socket), PrivateDirectory.owner(socket.getParent()));
        } catch (IOException e) {
            throw new CannotServe("cannot listen on " + socket + ": " + e.getMessage(), "choose another port with --port N");
        }
    }

    /** A socket left by a killed server answers nothing: it is removed. One that answers is another safe's. */
    private static void replaceStale(Path socket) throws IOException, CannotServe {
        SocketStream live;
        try {
            live = UnixSockets.connect(socket);
        } catch (IOException refused) {
            Files.deleteIfExists(socket);
            return;
        }
        Quietly.close(live);
        throw new CannotServe("another safe of yours already answers on " + socket, "stop it with passsafe stop, or choose another port with --port N");
    }

    Path socket() {
        return socket;
    }

    /** Starts accepting connections for {@code handler}. */
    void start(Handler handler) {
        Thread acceptor = Threads.daemon("unix").newThread(() -> {
            while (true) {
                SocketStream stream;
                try {
                    stream = listener.accept();
                } catch (IOException closed) {
                    return;
                }
                if (!slots.tryAcquire()) {
                    Quietly.close(stream);
                    continue;
                }
                try {
                    workers.execute(() -> serve(stream, handler));
                } catch (RejectedExecutionException shuttingDown) {
                    slots.release();
                    Quietly.close(stream);
                    return;
                }
            }
        });
        acceptor.start();
    }

    /** Answers one connection's requests, one at a time, until it closes, errs or idles too long. */
    private void serve(SocketStream stream, Handler handler) {
        AtomicBoolean busy = new AtomicBoolean();
        open.put(stream, busy);
        try (stream) {
            // Read a buffer at a time: a read per byte would be a system call per byte.
            InputStream in = new BufferedInputStream(stream.in(), 2048);
            UserPrincipal peer = stream.peer();
            Request.Peer check = () -> self.equals(peer) ? null : Refusal.OTHER_USER;
            while (true) {
                ScheduledFuture<?> timeout = Threads.after(TimeUnit.SECONDS.toNanos(REQUEST_SECONDS), () -> Quietly.close(stream));
                Request request;
                try {
                    request = HttpStream.next(in, stream.out(), check, handler);
                } finally {
                    timeout.cancel(false);
                }
                if (request == null || closed) {
                    return;
                }
                busy.set(true);
                boolean close = HttpStream.answer(stream.out(), request, handler);
                busy.set(false);
                if (close) {
                    return;
                }
                ScheduledFuture<?> draining = Threads.after(TimeUnit.SECONDS.toNanos(REQUEST_SECONDS), () -> Quietly.close(stream));
                try {
                    HttpStream.drainBody(in, request);
                } finally {
                    draining.cancel(false);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the peer went away, idled out, or broke the protocol: its connection ends here
        } finally {
            open.remove(stream);
            slots.release();
        }
    }

    /**
     * Stops listening and removes the socket, unless another safe has put its own there since;
     * lets an answer being written (a stop's, say) finish for up to a second. Closing twice, as the
     * shutdown hook may, is harmless.
     */
    @Override
    public void close() {
        closed = true;
        Quietly.close(listener);
        open.forEach((stream, busy) -> {
            if (!busy.get()) {
                Quietly.close(stream);
            }
        });
        workers.shutdown();
        try {
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.keySet().forEach(Quietly::close);
        workers.shutdownNow();
        try {
            if (Objects.equals(socketKey, key(socket))) {
                PrivateDirectory.remove(socket);
            }
        } catch (IOException gone) {
            PrivateDirectory.remove(socket);
        }
    }

    /** The file's identity (device and inode on Linux), to tell our socket from a newer one at the same path. */
    private static Object key(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
