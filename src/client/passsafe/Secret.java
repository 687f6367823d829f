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
 */
public final class Secret implements AutoCloseable {
    private final char[] chars;
    private boolean closed;

    Secret(char[] chars) {
        this.chars = chars;
    }

    /**
     * A copy of the characters; wipe it with {@code Arrays.fill(copy, '\0')} once used.
     *
     * @return a fresh copy, yours to wipe
     * @throws IllegalStateException if this secret is closed
     */
    public synchronized char[] chars() {
        check();
        return chars.clone();
    }

    /**
     * Runs {@code action} with a copy of the characters and wipes the copy afterwards, even if the
     * action throws.
     *
     * @param action what to do with the characters; it must not keep them
     * @throws IllegalStateException if this secret is closed
     */
    public void use(Consumer<char[]> action) {
        char[] copy = chars();
        try {
            action.accept(copy);
        } finally {
            Arrays.fill(copy, '\0');
        }
    }

    /** Wipes the characters; later calls to {@link #chars()} throw. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        closed = true;
        Arrays.fill(chars, '\0');
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
