package passsafe;

import java.util.regex.Pattern;
import java.io.BufferedInputStream;
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
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.OptionalInt;

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
    // Parsed on every call: compiled once.
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern PRINTABLE = Pattern.compile("[ -~]*");

    /** The base URL, such as {@code http://localhost:8051}. */
    final String url;
    private final String host;
    private final int port;
    private final boolean local;
    private final Deque<Connection> idle = new ArrayDeque<>();

    /** @throws IllegalArgumentException unless {@code url} is {@code http://HOST[:PORT]} */
    Transport(String url) {
        URI uri = parse(url);
        this.url = uri.toString();
        this.host = uri.getHost();
        this.port = uri.getPort() == -1 ? 80 : uri.getPort();
        this.local = isLoopback(host);
    }

    /** The status, the attempts-left header and the body of one answer. */
    static final class Answer {
        final int status;
        final String attemptsLeft;
        final byte[] body;

        Answer(int status, String attemptsLeft, byte[] body) {
            this.status = status;
            this.attemptsLeft = attemptsLeft;
            this.body = body;
        }

        /** The body of a 200 answer; any other status becomes the exception that explains it. */
        byte[] ok() {
            switch (status) {
                case Protocol.OK:
                    return body;
                case Protocol.INVALID_TOKEN:
                    throw new PasssafeException.InvalidToken(attemptsLeft != null && attemptsLeft.length() == 1 && DIGITS.matcher(attemptsLeft).matches() ? Integer.parseInt(attemptsLeft) : 0);
                case Protocol.LOCKED:
                    throw new PasssafeException.Locked();
                case Protocol.CLOSED:
                    throw new PasssafeException.Closed(reason());
                case Protocol.NOT_READY:
                    throw new PasssafeException.NotReady();
                case Protocol.NOT_FOUND:
                    if (reason().startsWith("not found: this safe holds no secret named ")) {
                        throw new PasssafeException.NoSuchSecret(reason().substring("not found: ".length()));
                    }
                    throw new PasssafeException.UnsupportedServer("it answered HTTP 404 (" + reason() + ")");
                default:
                    throw new PasssafeException.UnsupportedServer("it answered HTTP " + status + " (" + reason() + ")");
            }
        }

        /** The server's one-line reason, if it is short plain text; never more than that. */
        String reason() {
            String text = new String(body, StandardCharsets.US_ASCII).trim();
            return text.length() <= 200 && PRINTABLE.matcher(text).matches() ? text : "no readable reason";
        }
    }

    /** Sends {@code method path}, with the token header when {@code token} is not null. */
    Answer send(String method, String path, String token) {
        byte[] request = request(method, path, token);
        Connection reused = takeIdle();
        if (reused != null) {
            try {
                return reused.exchange(request, this);
            } catch (IOException e) {
                reused.close();
                // A kept-alive connection the server had closed while idle fails before the first
                // byte of an answer (end of input or a reset): nothing was processed, so retry afresh.
                if (reused.answered) {
                    throw failure(e);
                }
            }
        }
        Connection fresh = open();
        try {
            return fresh.exchange(request, this);
        } catch (IOException e) {
            fresh.close();
            throw failure(e);
        }
    }

    private byte[] request(String method, String path, String token) {
        String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        return (method + " " + path + " HTTP/1.1\r\nHost: " + hostPort + "\r\n"
                + (token == null ? "" : Protocol.TOKEN_HEADER + ": " + token + "\r\n")
                + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private PasssafeException failure(IOException e) {
        return e instanceof SocketTimeoutException ? new PasssafeException.Timeout(url, e) : new PasssafeException.NoServer(url, e);
    }

    private Connection takeIdle() {
        synchronized (idle) {
            return idle.pollFirst();
        }
    }

    private void giveBack(Connection connection) {
        synchronized (idle) {
            if (idle.size() < MAX_IDLE) {
                idle.addFirst(connection);
                return;
            }
        }
        connection.close();
    }

    /** Connects and, for a loopback server on Linux, checks who holds the other end before anything is sent. */
    private Connection open() {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new PasssafeException.Timeout(url, e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new PasssafeException.NoServer(url, e instanceof ConnectException ? e : new ConnectException(e.getMessage()));
        }
        if (local && ProcNet.ownUid() >= 0) {
            OptionalInt owner = ProcNet.ownerOf(ProcNet.read(), (InetSocketAddress) socket.getRemoteSocketAddress(),
                    (InetSocketAddress) socket.getLocalSocketAddress());
            if (owner.isEmpty() || owner.getAsInt() != ProcNet.ownUid()) {
                closeQuietly(socket);
                throw new PasssafeException.UntrustedServer(url, owner.isPresent() ? owner.getAsInt() : -1);
            }
        }
        return new Connection(socket);
    }

    /** A kept-alive connection and its buffered input. */
    private static final class Connection {
        final Socket socket;
        final InputStream in;
        /** Whether any byte of the current answer has arrived. */
        boolean answered;

        Connection(Socket socket) {
            this.socket = socket;
            InputStream raw;
            try {
                raw = socket.getInputStream();
            } catch (IOException e) {
                raw = InputStream.nullInputStream();
            }
            this.in = new BufferedInputStream(raw, 2048);
        }

        Answer exchange(byte[] request, Transport transport) throws IOException {
            answered = false;
            socket.getOutputStream().write(request);
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12 || !DIGITS.matcher(statusLine.substring(9, 12)).matches()) {
                throw new PasssafeException.UnsupportedServer("it does not speak HTTP/1.1");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean close = false;
            String attemptsLeft = null;
            int headBytes = statusLine.length();
            for (String header = line(); !header.isEmpty(); header = line()) {
                headBytes += header.length();
                if (headBytes > MAX_HEAD_BYTES) {
                    throw new PasssafeException.UnsupportedServer("its answer's headers are too large");
                }
                int colon = header.indexOf(':');
                String name = colon < 0 ? "" : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = colon < 0 ? "" : header.substring(colon + 1).trim();
                if (name.equals("content-length") && DIGITS.matcher(value).matches()) {
                    length = Long.parseLong(value);
                } else if (name.equals("connection")) {
                    close = value.equalsIgnoreCase("close");
                } else if (name.equals(Protocol.ATTEMPTS_HEADER.toLowerCase(Locale.ROOT))) {
                    attemptsLeft = value;
                }
            }
            if (length < 0 || length > Envelope.MAX_SIZE_IN_BYTES) {
                throw new PasssafeException.UnsupportedServer("its answer has no usable Content-Length");
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
            return new Answer(status, attemptsLeft, body);
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
                    throw new PasssafeException.UnsupportedServer("its answer has an overlong line");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        void close() {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static URI parse(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(url, "not http://HOST:PORT");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the url must look like " + Protocol.DEFAULT_URL);
        }
    }
}
