package passsafe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * One request to a passsafe server, as every client of it makes them: never through a proxy,
 * with short timeouts and a size cap, and on Linux never with a token to a port that another
 * user listens on. Maps the protocol's refusals to {@link PasssafeException}s.
 */
final class Transport {
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    /** The base URL, such as {@code http://localhost:8051}. */
    final String url;
    private final URL base;
    private final boolean local;

    /** @throws IllegalArgumentException unless {@code url} is {@code http://HOST[:PORT]} */
    Transport(String url) {
        this.url = baseUrl(url);
        this.base = toUrl(this.url);
        this.local = isLoopback(base.getHost());
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
                    throw new PasssafeException.InvalidToken(attemptsLeft != null && attemptsLeft.matches("[0-9]") ? Integer.parseInt(attemptsLeft) : 0);
                case Protocol.LOCKED:
                    throw new PasssafeException.Locked();
                case Protocol.CLOSED:
                    throw new PasssafeException.Closed(reason());
                default:
                    throw new PasssafeException.UnsupportedServer("it answered HTTP " + status + " (" + reason() + ")");
            }
        }

        /** The server's one-line reason, if it is short plain text; never more than that. */
        String reason() {
            String text = new String(body, StandardCharsets.US_ASCII).trim();
            return text.length() <= 200 && text.matches("[ -~]*") ? text : "no readable reason";
        }
    }

    /** Sends {@code method path}, with the token header when {@code token} is not null. */
    Answer send(String method, String path, String token) {
        if (token != null) {
            checkListener();
        }
        HttpURLConnection connection = null;
        try {
            // NO_PROXY: the token must never travel to a proxy configured for other traffic.
            connection = (HttpURLConnection) new URL(base, path).openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod(method);
            if (token != null) {
                connection.setRequestProperty(Protocol.TOKEN_HEADER, token);
            }
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            byte[] body = readAll(status < 400 ? connection.getInputStream() : connection.getErrorStream());
            return new Answer(status, connection.getHeaderField(Protocol.ATTEMPTS_HEADER), body);
        } catch (ConnectException e) {
            throw new PasssafeException.NoServer(url, e);
        } catch (SocketTimeoutException e) {
            throw new PasssafeException.Timeout(url, e);
        } catch (IOException e) {
            throw new PasssafeException.NoServer(url, e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** On Linux, refuses to send a token to a port that another user listens on. */
    private void checkListener() {
        if (!local) {
            return;
        }
        OptionalInt other = ProcNet.otherListener(base.getPort() == -1 ? 80 : base.getPort(), ProcNet.ownUid());
        if (other.isPresent()) {
            throw new PasssafeException.UntrustedServer(url, other.getAsInt());
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
                if (out.size() + n > Envelope.MAX_SIZE_IN_BYTES) {
                    throw new IOException("the answer is larger than " + Envelope.MAX_SIZE_IN_BYTES + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String baseUrl(String url) {
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
            return trimmed;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the url must look like " + Protocol.DEFAULT_URL);
        }
    }

    private static URL toUrl(String url) {
        try {
            return new URI(url).toURL();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalArgumentException("the url must look like " + Protocol.DEFAULT_URL);
        }
    }
}
