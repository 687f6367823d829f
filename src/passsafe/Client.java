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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;
import javax.crypto.AEADBadTagException;

/**
 * Fetches the secret from a passsafe server and decrypts it here, with the passphrase and token
 * the server printed:
 * <pre>{@code
 * var client = new passsafe.Client("crudely explode kilogram detached overdrive sprout", 936265);
 * try (var db = DriverManager.getConnection(url, "analyst", client.password())) { ... }
 * }</pre>
 * Every call fetches the envelope again, so the safe's expiry and lock apply to every use. The
 * key derived from the passphrase (about a third of a second of work) is kept in this object after
 * the first successful decryption, and the passphrase is then wiped, so later calls cost one local
 * round trip; {@link #close()} wipes the key. A client is safe to share between threads.
 * Failures are {@link PasssafeException}s whose messages say what to do.
 */
public final class Client implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final String token;
    private final String url;
    private final URL endpoint;
    private final boolean local;
    private final int minIterations;
    // Guarded by this. The passphrase is wiped once a key from it has opened the safe's envelope:
    // a safe never changes its salt, so the key is all later calls need.
    private char[] passphrase;
    private CachedKey cached;
    private boolean closed;

    /**
     * A client of the server at {@code http://localhost:8051}.
     *
     * @param passphrase the six words the server printed; extra spaces, tabs or newlines are ignored
     * @param token the 6-digit token the server printed, such as {@code 936265}
     * @throws IllegalArgumentException if the passphrase is empty or the token is not 6 digits
     */
    public Client(String passphrase, int token) {
        this(passphrase, Integer.toString(token), Protocol.DEFAULT_URL);
    }

    /**
     * A client of the server at {@code http://localhost:8051}.
     *
     * @param passphrase the six words the server printed; extra spaces, tabs or newlines are ignored
     * @param token the token as printed, with or without its space: {@code "936 265"}
     * @throws IllegalArgumentException if the passphrase is empty or the token is not 6 digits
     */
    public Client(String passphrase, String token) {
        this(passphrase, token, Protocol.DEFAULT_URL);
    }

    /**
     * A client of the server at {@code url}, such as {@code http://localhost:8052}.
     *
     * @throws IllegalArgumentException if an argument is malformed
     */
    public Client(String passphrase, int token, String url) {
        this(passphrase, Integer.toString(token), url);
    }

    /**
     * A client of the server at {@code url}, such as {@code http://localhost:8052}.
     *
     * @throws IllegalArgumentException if an argument is malformed
     */
    public Client(String passphrase, String token, String url) {
        this(passphrase, token, url, Kdf.MIN_ITERATIONS);
    }

    /** {@code minIterations} is a seam for tests that seal with a cheaper KDF. */
    Client(String passphrase, String token, String url, int minIterations) {
        if (passphrase == null || token == null || url == null) {
            throw new IllegalArgumentException("the passphrase, token and url must not be null");
        }
        this.passphrase = Passphrase.normalize(passphrase);
        if (this.passphrase.length == 0) {
            throw new IllegalArgumentException("the passphrase is empty; pass the six words the server printed");
        }
        byte[] digits = Token.parse(token);
        if (digits == null) {
            throw new IllegalArgumentException("the token must be the 6 digits the server printed, such as 936265 or \"936 265\"");
        }
        this.token = new String(digits, StandardCharsets.US_ASCII);
        this.url = baseUrl(url);
        this.endpoint = endpoint(this.url + Protocol.SECRET_PATH);
        this.local = isLoopback(endpoint.getHost());
        this.minIterations = minIterations;
    }

    /**
     * Returns the secret. Prefer {@link #passwordChars()} where the consumer accepts a
     * {@code char[]}: a {@code String} cannot be wiped.
     *
     * @throws PasssafeException if the server refuses or the passphrase is wrong
     */
    public String password() {
        char[] chars = passwordChars();
        try {
            return new String(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Returns the secret as a fresh array; wipe it with {@code Arrays.fill(chars, '\0')} once used.
     *
     * @throws PasssafeException if the server refuses or the passphrase is wrong
     */
    public char[] passwordChars() {
        Envelope envelope = Envelope.parse(fetch(), minIterations, Kdf.MAX_ITERATIONS);
        byte[] plaintext = open(envelope);
        try {
            return Utf8.decode(plaintext);
        } catch (CharacterCodingException e) {
            throw new PasssafeException.UnsupportedServer("the secret is not valid UTF-8");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Wipes the key and passphrase this client holds; later calls throw
     * {@link IllegalStateException}. Use try-with-resources where a client is needed only briefly.
     */
    @Override
    public synchronized void close() {
        closed = true;
        Arrays.fill(passphrase, '\0');
        if (cached != null) {
            Arrays.fill(cached.key, (byte) 0);
            cached = null;
        }
    }

    private synchronized byte[] open(Envelope envelope) {
        if (closed) {
            throw new IllegalStateException("this passsafe.Client is closed; create a new one");
        }
        boolean reuse = cached != null && cached.fits(envelope);
        if (!reuse && cached != null) {
            throw new PasssafeException.UnsupportedServer("the safe's salt changed since this client's first call, which a passsafe server never does");
        }
        byte[] key = reuse ? cached.key : Kdf.derive(passphrase, envelope.salt, envelope.iterations);
        try {
            byte[] plaintext = envelope.open(key);
            if (!reuse) {
                cached = new CachedKey(envelope, key.clone());
                Arrays.fill(passphrase, '\0');
            }
            return plaintext;
        } catch (AEADBadTagException e) {
            throw new PasssafeException.WrongPassphrase();
        } finally {
            if (!reuse) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    private byte[] fetch() {
        checkListener();
        HttpURLConnection connection = null;
        try {
            // NO_PROXY: the token must never travel to a proxy configured for other traffic.
            connection = (HttpURLConnection) endpoint.openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod("POST");
            connection.setRequestProperty(Protocol.TOKEN_HEADER, token);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            byte[] bytes = readAll(body);
            return accept(status, connection.getHeaderField(Protocol.ATTEMPTS_HEADER), bytes);
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

    /** On Linux, refuses to send the token to a port that another user listens on. */
    private void checkListener() {
        if (!local) {
            return;
        }
        OptionalInt other = ProcNet.otherListener(endpoint.getPort() == -1 ? 80 : endpoint.getPort(), ProcNet.ownUid());
        if (other.isPresent()) {
            throw new PasssafeException.UntrustedServer(url, other.getAsInt());
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] accept(int status, String attemptsLeft, byte[] body) {
        switch (status) {
            case Protocol.OK:
                return body;
            case Protocol.INVALID_TOKEN:
                throw new PasssafeException.InvalidToken(attemptsLeft == null || !attemptsLeft.matches("[0-9]") ? 0 : Integer.parseInt(attemptsLeft));
            case Protocol.LOCKED:
                throw new PasssafeException.Locked();
            case Protocol.CLOSED:
                throw new PasssafeException.Closed(reason(body));
            default:
                throw new PasssafeException.UnsupportedServer("it answered HTTP " + status + " (" + reason(body) + ")");
        }
    }

    /** The server's one-line reason, if it is short plain text; never more than that. */
    private static String reason(byte[] body) {
        String text = new String(body, StandardCharsets.US_ASCII).trim();
        return text.length() <= 200 && text.matches("[ -~]*") ? text : "no readable reason";
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

    private static URL endpoint(String url) {
        try {
            return new URI(url).toURL();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalArgumentException("the url must look like " + Protocol.DEFAULT_URL);
        }
    }

    /** Shows where the client connects; never the passphrase or token. */
    @Override
    public String toString() {
        return "passsafe.Client[" + url + "]";
    }

    /** A derived key and the KDF inputs it was derived with, besides the passphrase. */
    private static final class CachedKey {
        final byte[] salt;
        final int iterations;
        final byte[] key;

        CachedKey(Envelope envelope, byte[] key) {
            this.salt = envelope.salt.clone();
            this.iterations = envelope.iterations;
            this.key = key;
        }

        boolean fits(Envelope envelope) {
            return iterations == envelope.iterations && Arrays.equals(salt, envelope.salt);
        }
    }
}
