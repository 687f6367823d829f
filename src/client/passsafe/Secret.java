package passsafe;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A secret that does not leak by accident: {@link #toString()} is {@code [REDACTED]}, so jshell and
 * notebook kernels never display it; {@link #close()} wipes it; it is not {@code Serializable}.
 * <pre>{@code
 * try (var secret = client.secret()) {
 *     secret.use(chars -> keyStore.load(in, chars));
 * }
 * }</pre>
 * A key stored with {@code passsafe --secret key --from-file key.pem} is bytes, not text: take
 * them with {@link #bytes()}, and build the key in memory, with no file:
 * <pre>{@code
 * byte[] pem = client.secret("key").bytes();
 * String base64 = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
 * Arrays.fill(pem, (byte) 0);
 * PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
 * Signature signer = Signature.getInstance("SHA256withRSA");
 * signer.initSign(key);
 * }</pre>
 */
public final class Secret implements AutoCloseable {
    private final String name;
    private final byte[] bytes;
    private boolean closed;

    /** Takes ownership of {@code bytes}, the secret {@code name}'s. */
    Secret(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    /**
     * A copy of the secret as text; wipe it with {@code Arrays.fill(copy, '\0')} once used.
     *
     * @return a fresh copy, yours to wipe
     * @throws IllegalStateException if this secret is closed
     * @throws PasssafeException.NotText if the secret is bytes that are not text (a key or a file): use {@link #bytes()}
     */
    public synchronized char[] chars() {
        check();
        return PasssafeException.NotText.decode(name, bytes.clone());
    }

    /**
     * A copy of the secret's bytes, exactly as stored (for text, its UTF-8); wipe it with
     * {@code Arrays.fill(copy, (byte) 0)} once used.
     *
     * @return a fresh copy, yours to wipe
     * @throws IllegalStateException if this secret is closed
     */
    public synchronized byte[] bytes() {
        check();
        return bytes.clone();
    }

    /**
     * Runs {@code action} with a copy of the characters and wipes the copy afterwards, even if the
     * action throws.
     *
     * @param action what to do with the characters; it must not keep them
     * @throws IllegalStateException if this secret is closed
     * @throws PasssafeException.NotText if the secret is not text
     */
    public void use(Consumer<char[]> action) {
        char[] copy = chars();
        try {
            action.accept(copy);
        } finally {
            Arrays.fill(copy, '\0');
        }
    }

    /** Wipes the secret; later calls to {@link #chars()} and {@link #bytes()} throw. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    /** Always {@code [REDACTED]}. */
    @Override
    public String toString() {
        return "[REDACTED]";
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("this passsafe.Secret is closed; ask the Client for it again");
        }
    }
}
