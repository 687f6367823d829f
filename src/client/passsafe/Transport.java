package passsafe;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * HTTP/1.1 to a passsafe server, just what the protocol needs: one request and its
 * {@link Response} within a deadline that a slow server cannot stretch, over connections the
 * {@link Connector} opened and checked, kept alive between calls, and tried once more where a
 * connection was cut before its answer began. Written here rather than taken from
 * {@code HttpURLConnection} so that each new connection is checked before anything is sent on
 * it. No proxy is ever used.
 */
final class Transport {
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    private static final int MAX_IDLE = 4;

    final LoopbackUrl url;
    final Connector connector;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;
    private final Duration deadline;

    Transport(LoopbackUrl url, Duration deadline) {
        this.url = url;
        this.connector = new Connector(url);
        this.deadline = deadline;
    }

    /** The safe's status: the one place a client asks for it. */
    Protocol.Status status() {
        return Protocol.Status.parse(send("GET", Protocol.Endpoint.STATUS.path, null).ok());
    }

    /**
     * Sends {@code method path}, with the token header when {@code token} is not null, and
     * returns the answer within the deadline.
     *
     * @throws IllegalStateException once closed, before anything is sent
     */
    Response send(String method, String path, String token) {
        return send(method, path, token, null);
    }

    Response send(String method, String path, String token, String keyCheck) {
        return send(method, path, token, keyCheck, Map.of(), new byte[0]);
    }

    /**
     * A {@code POST} with {@code body} (which the caller wipes) and {@code headers} besides the
     * token and key check; {@link #send(String, String, String, String)} for the rest.
     */
    Response send(String path, String token, String keyCheck, Map<String, String> headers, byte[] body) {
        return send("POST", path, token, keyCheck, headers, body);
    }

    private Response send(String method, String path, String token, String keyCheck, Map<String, String> headers, byte[] body) {
        byte[] request = request(method, path, token, keyCheck, headers, body);
        try {
            return exchange(path, request);
        } finally {
            Arrays.fill(request, (byte) 0);
        }
    }

    private Response exchange(String path, byte[] request) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        Connection connection = takeIdle();
        boolean reused = connection != null;
        if (!reused) {
            connection = new Connection(connector.open(deadline));
        }
        while (true) {
            try {
                Response response = connection.exchange(path, request, deadlineNanos);
                if (response != null) {
                    keepOrClose(connection, response);
                    return response;
                }
                throw new IOException("the connection closed before answering");
            } catch (IOException e) {
                connection.close();
                // Cut before the first byte of an answer (end of input or a reset): a kept-alive
                // connection the server had closed while idle is tried afresh, and a socket
                // connection once more over TCP, where a safe's own TCP front end may still answer.
                boolean retry = (reused || connection.viaSocket) && !connection.answered() && System.nanoTime() - deadlineNanos < 0;
                if (!retry) {
                    throw failure(e, deadlineNanos);
                }
                connection = reused ? new Connection(connector.open(deadline)) : new Connection(new Connector.Opened(connector.tcp(deadline), false));
                reused = false;
            }
        }
    }

    /** The request's bytes; the caller wipes them, as they hold the token and any body. */
    private byte[] request(String method, String path, String token, String keyCheck, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(url.hostHeader()).append("\r\n");
        if (token != null) {
            head.append(Protocol.TOKEN_HEADER).append(": ").append(token).append("\r\n");
        }
        if (keyCheck != null) {
            head.append(Protocol.KEY_CHECK_HEADER).append(": ").append(keyCheck).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (method.equals("POST")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        byte[] bytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(bytes, bytes.length + body.length);
        System.arraycopy(body, 0, all, bytes.length, body.length);
        return all;
    }

    private PasssafeException failure(IOException e, long deadlineNanos) {
        return e instanceof SocketTimeoutException || System.nanoTime() - deadlineNanos >= 0
                ? new PasssafeException.Timeout(url.toString(), deadline, e) : Connector.noServer(url, e);
    }

    private Connection takeIdle() {
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException(Client.CLOSED);
            }
            return idle.pollFirst();
        }
    }

    private void keepOrClose(Connection connection, Response response) {
        if (!response.closes) {
            synchronized (idle) {
                if (!closed && idle.size() < MAX_IDLE) {
                    idle.addFirst(connection);
                    return;
                }
            }
        }
        connection.close();
    }

    /**
     * A transport with {@code deadline} that takes over this one's kept-alive connections, so the
     * connection a safe was found through serves the requests that follow; this one is closed.
     */
    Transport withDeadline(Duration deadline) {
        Transport next = new Transport(url, deadline);
        synchronized (idle) {
            closed = true;
            next.idle.addAll(idle);
            idle.clear();
        }
        return next;
    }

    /** Closes the kept-alive connections; later calls to {@link #send} throw before sending. */
    void close() {
        synchronized (idle) {
            closed = true;
            for (Connection connection : idle) {
                connection.close();
            }
            idle.clear();
        }
    }

    private static final class Connection {
        final SocketStream stream;
        final boolean viaSocket;
        private final Counting counted;
        private final InputStream in;

        Connection(Connector.Opened opened) {
            this.stream = opened.stream;
            this.viaSocket = opened.viaSocket;
            this.counted = new Counting(stream.in());
            this.in = new BufferedInputStream(counted, 2048);
        }

        /** One request and its answer (null: cut before it began), closed by the watchdog if the deadline passes first. */
        Response exchange(String path, byte[] request, long deadlineNanos) throws IOException {
            ScheduledFuture<?> watchdog = Threads.after(deadlineNanos - System.nanoTime(), this::close);
            try {
                counted.bytes = 0;
                stream.out().write(request);
                stream.out().flush();
                return Response.read(in, path);
            } finally {
                watchdog.cancel(false);
            }
        }

        boolean answered() {
            return counted.bytes > 0;
        }

        void close() {
            Quietly.close(stream);
        }
    }

    /** Counts the bytes that arrive, so a cut connection tells whether its answer had begun. */
    private static final class Counting extends FilterInputStream {
        volatile long bytes;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            bytes += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            bytes += Math.max(0, n);
            return n;
        }
    }
}
