package passsafe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * HTTP/1.1 for a {@link Handler} on one listening socket, TCP or Unix-domain: the same reader
 * ({@link HttpStream}), the same limits and the same answers whatever carries the bytes, so no
 * byte string is framed one way on one front end and another way on the other. Each connection's
 * peer is told by {@code peerOf} once, when it is accepted; a connection beyond the cap is closed
 * unread, and one that takes too long to send its next request is closed.
 */
final class FrontEnd implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 64;
    /** How long a connection may take to send its next request, idle time included. */
    private static final long REQUEST_SECONDS = 30;

    private final SocketStream.Listener listener;
    private final Function<SocketStream, Request.Peer> peerOf;
    private final boolean viaSocket;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final ExecutorService workers;
    /** Open connections, each with whether it is between reading a request and writing its answer. */
    private final Map<SocketStream, AtomicBoolean> open = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread acceptor;

    /** {@code viaSocket}: whether the listener is the private Unix-domain socket, which no browser reaches. */
    FrontEnd(SocketStream.Listener listener, Function<SocketStream, Request.Peer> peerOf, boolean viaSocket) {
        this.listener = listener;
        this.peerOf = peerOf;
        this.viaSocket = viaSocket;
        this.workers = Executors.newCachedThreadPool(Threads.daemon(viaSocket ? "unix" : "tcp"));
    }

    void start(Handler handler) {
        acceptor = Threads.daemon(viaSocket ? "unix-accept" : "tcp-accept").newThread(() -> {
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

    private void serve(SocketStream stream, Handler handler) {
        AtomicBoolean busy = new AtomicBoolean();
        open.put(stream, busy);
        try (stream) {
            // Read a buffer at a time: a read per byte would be a system call per byte.
            InputStream in = new BufferedInputStream(stream.in(), 2048);
            Request.Peer peer = peerOf.apply(stream);
            while (true) {
                Request request;
                ScheduledFuture<?> next = deadline(stream);
                try {
                    request = HttpStream.next(in, stream.out(), peer, viaSocket, handler);
                } finally {
                    next.cancel(false);
                }
                if (request == null || closed) {
                    return;
                }
                busy.set(true);
                // The same limit for the answer, which may read a replacement's body: a body trickled a byte at a time holds nothing long.
                ScheduledFuture<?> answering = deadline(stream);
                boolean close;
                try {
                    close = HttpStream.answer(stream.out(), request, handler);
                } finally {
                    answering.cancel(false);
                }
                busy.set(false);
                if (close) {
                    return;
                }
                ScheduledFuture<?> drain = deadline(stream);
                try {
                    HttpStream.drainBody(in, request);
                } finally {
                    drain.cancel(false);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the peer went away, idled out, or broke the protocol: its connection ends here
        } finally {
            open.remove(stream);
            slots.release();
        }
    }

    /** Closes the connection unless the watchdog it returns is cancelled within {@link #REQUEST_SECONDS}. */
    private static ScheduledFuture<?> deadline(SocketStream stream) {
        return Threads.after(TimeUnit.SECONDS.toNanos(REQUEST_SECONDS), () -> Quietly.close(stream));
    }

    /**
     * Stops listening; lets an answer being written (a stop's, say) finish for up to a second, and
     * closes every connection. Closing twice, as the shutdown hook may, is harmless.
     */
    @Override
    public void close() {
        closed = true;
        Quietly.close(listener);
        try {
            if (acceptor != null) {
                // A socket closed while a thread waits in accept() is freed when that thread leaves it:
                // only then is the port free for the next safe.
                acceptor.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
    }
}
