package passsafe;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The server's half of the crypto: derives the key from the passphrase in the background, so the
 * slow key derivation runs while the user types, then seals each secret under it with a fresh
 * nonce, and wipes the key on {@link #close()}. Callers never hold the key, salt or iteration count.
 */
final class Sealer implements AutoCloseable {
    private final byte[] salt = Envelope.newSalt();
    private final int iterations;
    private final CompletableFuture<byte[]> key;

    /** Starts deriving from a copy of {@code passphrase}, wiped once derived; the caller wipes its own. */
    Sealer(char[] passphrase, int iterations) {
        this.iterations = iterations;
        char[] copy = passphrase.clone();
        // A thread of its own, not a shared pool whose threads the program may be using.
        this.key = CompletableFuture.supplyAsync(() -> {
            try {
                byte[] derived = Kdf.derive(copy, salt, iterations);
                warmUp();
                return derived;
            } finally {
                Arrays.fill(copy, '\0');
            }
        }, task -> Threads.daemon("kdf").newThread(task).start());
    }

    /**
     * Seals {@code secret}'s bytes under {@code name}, waiting for the key if the user typed faster
     * than it was derived. The caller wipes {@code secret}.
     */
    Envelope seal(String name, byte[] secret) {
        return Envelope.seal(name, secret, key.join(), salt, iterations);
    }

    /**
     * A copy of the key, waiting for it, for session mode's file (whose reader can open this
     * safe anyway); the caller wipes it.
     */
    byte[] key() {
        return key.join().clone();
    }

    byte[] salt() {
        return salt.clone();
    }

    int iterations() {
        return iterations;
    }

    byte[] keyCheck() {
        return KeyCheck.of(key.join());
    }

    /** Wipes the key, now or as soon as its derivation ends. */
    @Override
    public void close() {
        key.thenAccept(derived -> Arrays.fill(derived, (byte) 0));
    }

    /**
     * Seals a throwaway byte under a throwaway key, so the cipher's first-use costs (provider
     * lookup, class loading) are paid while the user types, not after Enter.
     */
    private static void warmUp() {
        byte[] throwaway = new byte[Kdf.KEY_SIZE_IN_BYTES];
        new SecureRandom().nextBytes(throwaway);
        Envelope.seal(Names.DEFAULT, new byte[1], throwaway, Envelope.newSalt(), 1).wipe();
        Arrays.fill(throwaway, (byte) 0);
    }
}
