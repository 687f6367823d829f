package passsafe;

import java.util.Arrays;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;

/**
 * The client's half of the crypto. It derives the key from the passphrase once, with the salt and
 * iteration count the safe's status gives (the count bounded before any work), then wipes the
 * passphrase and keeps the key, since a safe never changes its salt. From the key comes the
 * {@link KeyCheck} each request for a secret carries, so a wrong passphrase is refused before a
 * use is spent; each envelope is then checked strictly and opened. {@link #close()} wipes the key.
 */
final class Opener implements AutoCloseable {
    private final int minIterations;
    // Guarded by this.
    private char[] passphrase;
    private byte[] salt;
    private int iterations;
    private byte[] key;

    /** Takes ownership of {@code passphrase}, in its normalized spelling. */
    Opener(char[] passphrase, int minIterations) {
        this.passphrase = passphrase;
        this.minIterations = minIterations;
    }

    /**
     * Takes a copy of {@code key}, already derived with {@code salt} and {@code iterations}: from a
     * session file, so no derivation is spent. The caller wipes its own.
     */
    Opener(byte[] key, byte[] salt, int iterations, int minIterations) {
        this.key = key.clone();
        this.salt = salt.clone();
        this.iterations = iterations;
        this.minIterations = minIterations;
    }

    /**
     * The key check to send with a request for a secret, a fresh array the caller wipes. The first
     * call derives the key, with the salt and iterations of {@code status}, asked for only then.
     *
     * @throws PasssafeException the one the safe's state explains (ended, locked), or
     *     UnsupportedServer for a status with no salt or a count out of bounds
     * @throws IllegalStateException once closed
     */
    synchronized byte[] keyCheck(Supplier<Protocol.Status> status) {
        if (passphrase == null && key == null) {
            throw new IllegalStateException(Client.CLOSED);
        }
        if (key == null) {
            derive(status.get());
        }
        return KeyCheck.of(key);
    }

    private void derive(Protocol.Status status) {
        PasssafeException refusal = status.refusal();
        if (refusal != null) {
            throw refusal;
        }
        if (status.salt == null) {
            throw new PasssafeException.UnsupportedServer("its status gives no salt for the key derivation");
        }
        if (status.iterations < minIterations || status.iterations > Kdf.MAX_ITERATIONS) {
            throw new PasssafeException.UnsupportedServer("an iteration count of " + status.iterations + " is outside the accepted "
                    + minIterations + " to " + Kdf.MAX_ITERATIONS + ", so this may not be a genuine passsafe server");
        }
        key = Kdf.derive(passphrase, status.salt, status.iterations);
        salt = status.salt.clone();
        iterations = status.iterations;
        Arrays.fill(passphrase, '\0');
        passphrase = null;
    }

    /**
     * The secret in the encoded envelope, which must be the one named {@code name} and sealed with
     * the salt the key was derived with; the caller wipes the result.
     *
     * @throws PasssafeException.UnsupportedServer if the envelope is malformed, not the one asked
     *     for, or does not open with the key the safe accepted
     * @throws IllegalStateException once closed, or before {@link #keyCheck}
     */
    synchronized byte[] open(byte[] encoded, String name) {
        if (key == null) {
            throw new IllegalStateException(Client.CLOSED);
        }
        Envelope envelope = Envelope.parse(encoded, minIterations, Kdf.MAX_ITERATIONS);
        if (!envelope.name.equals(name)) {
            throw new PasssafeException.UnsupportedServer("it sent the secret named " + envelope.name + " when " + name + " was asked for");
        }
        if (iterations != envelope.iterations || !Arrays.equals(salt, envelope.salt)) {
            throw new PasssafeException.UnsupportedServer("its envelope's salt is not the one its status gave, which a passsafe server never does");
        }
        try {
            return envelope.open(key);
        } catch (AEADBadTagException e) {
            throw new PasssafeException.UnsupportedServer("its envelope does not open with the key it accepted");
        }
    }

    /**
     * {@code plaintext} sealed as the secret {@code name} under the key, with the salt it was derived
     * with: what {@code passsafe set} sends, so the safe never sees the plaintext or the key. The
     * caller wipes {@code plaintext}; call after {@link #keyCheck}.
     */
    synchronized Envelope seal(String name, byte[] plaintext) {
        if (key == null) {
            throw new IllegalStateException(Client.CLOSED);
        }
        return Envelope.seal(name, plaintext, key, salt, iterations);
    }

    /** The salt of the key's derivation in hex, which names the safe; call after {@link #keyCheck}. */
    synchronized String saltHex() {
        return KeyCheck.hex(salt);
    }

    /** Wipes the passphrase and the key; later calls throw. */
    @Override
    public synchronized void close() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
            passphrase = null;
        }
        if (key != null) {
            Arrays.fill(key, (byte) 0);
            key = null;
        }
    }
}
