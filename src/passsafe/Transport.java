package passsafe;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 to a passsafe server, just what the protocol needs, over plain sockets that are kept
 * alive between calls. Written here rather than taken from {@code HttpURLConnection} so that each
 * new connection can be checked before anything is sent on it: on Linux, the server's end of a
 * loopback connection must belong to this user, or the token is not sent. No proxy is ever used.
 * Maps the protocol's refusals to {@link PasssafeException}s.
 */
final class Transport {
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final int MAX_IDLE = 4;
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    /** Closes a connection whose call has run past its deadline; one daemon thread for every client of the JVM. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
    // Parsed on every call: compiled once.
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern PRINTABLE = Pattern.compile("[ -~]*");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    /** The answer headers a client reads. */
    private static final Set<String> READ_HEADERS = Set.of(Protocol.lower(Protocol.ATTEMPTS_HEADER),
            Protocol.lower(Protocol.ENDED_HEADER), Protocol.lower(Protocol.SECRETS_HEADER));

    /** The base URL, such as {@code http://localhost:8051}. */
    final String url;
    private final String host;
    private final int port;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;
    private volatile Duration deadline = DEFAULT_DEADLINE;
    private volatile boolean viaSocket;
    /** A seam for the benchmark, which measures TCP beside the socket: false keeps to TCP. */
    volatile boolean socketAllowed = true;

    /**
     * @throws IllegalArgumentException unless {@code url} is {@code http://HOST:PORT} with
     *     {@code localhost}, {@code 127.0.0.1} or {@code [::1]} as the host: checked before any connection
     */
    Transport(String url) {
        URI uri = parse(url);
        this.url = uri.toString();
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    /** The status, the protocol's headers and the body of one answer to a request for {@code path}. */
    static final class Answer {
        final String path;
        final int status;
        /** The headers a client reads, by lowercase name. */
        final Map<String, String> headers;
        final byte[] body;

        Answer(String path, int status, Map<String, String> headers, byte[] body) {
            this.path = path;
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        /** The body of a 200 answer; any other status becomes the exception that explains it. */
        byte[] ok() {
            switch (status) {
                case Protocol.OK:
                    return body;
                case Protocol.INVALID_TOKEN:
                    String left = header(Protocol.ATTEMPTS_HEADER);
                    throw new PasssafeException.InvalidToken(left != null && left.length() == 1 && DIGITS.matcher(left).matches() ? Integer.parseInt(left) : 0);
                case Protocol.LOCKED:
                    throw new PasssafeException.Locked();
                case Protocol.CLOSED:
                    throw new PasssafeException.Closed(Safe.State.of(header(Protocol.ENDED_HEADER)));
                case Protocol.NOT_READY:
                    throw new PasssafeException.NotReady();
                case Protocol.NOT_FOUND:
                    String held = header(Protocol.SECRETS_HEADER);
                    String asked = Protocol.secretName(path);
                    if (held != null && asked != null) {
                        throw new PasssafeException.NoSuchSecret(asked, names(held));
                    }
                    throw new PasssafeException.UnsupportedServer(Messages.answered(status, reason()));
                default:
                    throw new PasssafeException.UnsupportedServer(Messages.answered(status, reason()));
            }
        }

        private String header(String name) {
            return headers.get(Protocol.lower(name));
        }

        /** The names in a {@link Protocol#SECRETS_HEADER}, each checked, never echoed when malformed. */
        private static List<String> names(String held) {
            List<String> names = Arrays.asList(held.split(",", -1));
            for (String name : names) {
                if (!Names.valid(name)) {
                    throw new PasssafeException.UnsupportedServer(Messages.statusField(Protocol.SECRETS_HEADER));
                }
            }
            return names;
        }

        /** The server's one-line reason, if it is short plain text; never more than that. */
        String reason() {
            String text = new String(body, StandardCharsets.US_ASCII).trim();
            return text.length() <= 200 && PRINTABLE.matcher(text).matches() ? text : "no readable reason";
        }
    }

    /** The longest one call may take, connecting and answering included; a slow server cannot stretch it. */
    void deadline(Duration deadline) {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException(Messages.BAD_DEADLINE);
        }
        this.deadline = deadline;
    }

    /** Whether the last connection opened went through the private Unix-domain socket. */
    boolean viaSocket() {
        return viaSocket;
    }

    /**
     * Sends {@code method path}, with the token header when {@code token} is not null, and
     * returns the answer within the deadline.
     *
     * @throws IllegalStateException once closed, before anything is sent
     */
    Answer send(String method, String path, String token) {
        byte[] request = request(method, path, token);
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        Connection connection = takeIdle();
        boolean reused = connection != null;
        if (!reused) {
            connection = open();
        }
        while (true) {
            try {
                return connection.exchange(path, request, this, deadlineNanos);
            } catch (IOException e) {
                connection.close();
                // Cut before the first byte of an answer (end of input or a reset): a kept-alive
                // connection the server had closed while idle is tried afresh, and a socket
                // connection once more over TCP, since a safe that ends by a limit closes its
                // socket first and goes on saying why over TCP, where a token no longer counts.
                boolean retry = (reused || connection.viaSocket) && !connection.answered && System.nanoTime() - deadlineNanos < 0;
                if (!retry) {
                    throw failure(e, deadlineNanos);
                }
                connection = reused ? open() : tcpConnection();
                reused = false;
            }
        }
    }

    private byte[] request(String method, String path, String token) {
        String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        return (method + " " + path + " HTTP/1.1\r\nHost: " + hostPort + "\r\n"
                + (token == null ? "" : Protocol.TOKEN_HEADER + ": " + token + "\r\n")
                + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private PasssafeException failure(IOException e, long deadlineNanos) {
        return e instanceof SocketTimeoutException || System.nanoTime() - deadlineNanos >= 0
                ? new PasssafeException.Timeout(url, deadline, e) : new PasssafeException.NoServer(url, e);
    }

    private Connection takeIdle() {
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException(Messages.CLIENT_CLOSED);
            }
            return idle.pollFirst();
        }
    }

    private void giveBack(Connection connection) {
        synchronized (idle) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addFirst(connection);
                return;
            }
        }
        connection.close();
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

    /**
     * Connects through the safe's private socket when this JVM has Unix-domain sockets and this
     * user's directory holds one for the port, else over TCP; either way checks who holds the
     * other end before anything is sent.
     */
    private Connection open() {
        Path socket = socketAllowed && UnixSockets.available() ? SocketDirectory.find(System.getenv(), port) : null;
        if (socket != null) {
            SocketStream stream = null;
            try {
                stream = UnixSockets.connect(socket);
                UserPrincipal peer = stream.peer();
                if (!SocketDirectory.self().equals(peer)) {
                    closeQuietly(stream);
                    throw new PasssafeException.UntrustedServer(url, peer == null ? null : peer.getName());
                }
                viaSocket = true;
                return new Connection(stream, true);
            } catch (IOException stale) {
                // A socket left by a killed server: TCP will say whether a safe still serves.
                if (stream != null) {
                    closeQuietly(stream);
                }
            }
        }
        return tcpConnection();
    }

    private Connection tcpConnection() {
        viaSocket = false;
        return new Connection(tcp(), false);
    }

    private SocketStream tcp() {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new PasssafeException.Timeout(url, deadline, e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new PasssafeException.NoServer(url, e instanceof ConnectException ? e : new ConnectException(e.getMessage()));
        }
        if (ProcNet.ownUid() >= 0) {
            OptionalInt owner = ProcNet.ownerOf((InetSocketAddress) socket.getRemoteSocketAddress(),
                    (InetSocketAddress) socket.getLocalSocketAddress());
            if (owner.isEmpty() || owner.getAsInt() != ProcNet.ownUid()) {
                closeQuietly(socket);
                throw new PasssafeException.UntrustedServer(url, owner.isPresent() ? "uid " + owner.getAsInt() : null);
            }
        }
        try {
            return SocketStream.of(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new PasssafeException.NoServer(url, e);
        }
    }

    /** A kept-alive connection and its buffered input. */
    private static final class Connection {
        final SocketStream stream;
        final InputStream in;
        /** Whether it goes through the private socket rather than TCP. */
        final boolean viaSocket;
        /** Whether any byte of the current answer has arrived. */
        boolean answered;

        Connection(SocketStream stream, boolean viaSocket) {
            this.stream = stream;
            this.viaSocket = viaSocket;
            this.in = new BufferedInputStream(stream.in(), 2048);
        }

        /** One request and its answer, the connection closed by the watchdog if the deadline passes first. */
        Answer exchange(String path, byte[] request, Transport transport, long deadlineNanos) throws IOException {
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(this::close, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            try {
                return exchange(path, request, transport);
            } finally {
                watchdog.cancel(false);
            }
        }

        private Answer exchange(String path, byte[] request, Transport transport) throws IOException {
            answered = false;
            stream.out().write(request);
            stream.out().flush();
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12 || !DIGITS.matcher(statusLine.substring(9, 12)).matches()) {
                throw new PasssafeException.UnsupportedServer(Messages.NOT_HTTP);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean close = false;
            Map<String, String> headers = new HashMap<>();
            int headBytes = statusLine.length();
            for (String header = line(); !header.isEmpty(); header = line()) {
                headBytes += header.length();
                if (headBytes > MAX_HEAD_BYTES) {
                    throw new PasssafeException.UnsupportedServer(Messages.HEAD_TOO_LARGE);
                }
                int colon = header.indexOf(':');
                String name = colon < 0 ? "" : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = colon < 0 ? "" : header.substring(colon + 1).trim();
                if (name.equals("content-length") && DIGITS.matcher(value).matches()) {
                    length = Long.parseLong(value);
                } else if (name.equals("connection")) {
                    close = value.equalsIgnoreCase("close");
                } else if (READ_HEADERS.contains(name)) {
                    headers.put(name, value);
                }
            }
            if (length < 0 || length > Envelope.MAX_SIZE_IN_BYTES) {
                throw new PasssafeException.UnsupportedServer(Messages.NO_LENGTH);
            }
            byte[] body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IOException("the connection closed in the middle of an answer");
            }
            if (close) {
                close();
            } else {
                transport.giveBack(this);
            }
            return new Answer(path, status, headers, body);
        }

        /** One CRLF-terminated line. */
        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b == -1) {
                    throw new IOException("the connection closed " + (answered ? "in the middle of an answer" : "before answering"));
                }
                answered = true;
                if (line.size() == MAX_HEAD_BYTES) {
                    throw new PasssafeException.UnsupportedServer(Messages.LONG_LINE);
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        void close() {
            closeQuietly(stream);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    /**
     * Asks an ended safe of this user on {@code port} to give way, as a new safe does before it
     * takes the port: a stop with no token, which only a safe that holds nothing accepts.
     */
    static boolean releaseEnded(int port) {
        Transport transport = new Transport("http://localhost:" + port);
        try {
            return transport.send("POST", Protocol.Endpoint.STOP.path, null).status == Protocol.OK;
        } catch (RuntimeException notAnEndedSafeOfOurs) {
            return false;
        } finally {
            transport.close();
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "passsafe-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // Nearly every call ends in time: its cancelled task must not wait in the queue for ten seconds.
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }

    private static URI parse(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getPort() < 1
                    || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
                throw new URISyntaxException(url, "not a loopback http://HOST:PORT");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(Messages.LOOPBACK_URL);
        }
    }
}
