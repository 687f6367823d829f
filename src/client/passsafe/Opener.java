package passsafe;

import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * The client's half of the crypto: checks each envelope strictly, with its iteration count
 * bounded before any work, derives the key from the passphrase once, then wipes the passphrase
 * and keeps the key, since a safe never changes its salt. {@link #close()} wipes the key.
 */
final class Opener implements AutoCloseable {
    private final int minIterations;
    // Guarded by this.
    private char[] passphrase;
    private byte[] salt;
    private int iterations;
    private byte[] key;
    /** Whether a cipher was ever given a key: the JDK's AES code keeps copies of it inside. */
    private boolean keyedCiphers;

    /** Takes ownership of {@code passphrase}, in its normalized spelling. */
    Opener(char[] passphrase, int minIterations) {
        this.passphrase = passphrase;
        this.minIterations = minIterations;
    }

    /**
     * The secret in the encoded envelope, which must be the one named {@code name}; the caller
     * wipes the result.
     *
     * @throws PasssafeException.WrongPassphrase if the passphrase does not open it
     * @throws PasssafeException.UnsupportedServer if the envelope is malformed or not the one asked for
     * @throws IllegalStateException once closed
     */
    synchronized char[] open(byte[] encoded, String name) {
        if (passphrase == null && key == null) {
            throw new IllegalStateException(Client.CLOSED);
        }
        Envelope envelope = Envelope.parse(encoded, minIterations, Kdf.MAX_ITERATIONS);
        if (!envelope.name.equals(name)) {
            throw new PasssafeException.UnsupportedServer("it sent the secret named " + envelope.name + " when " + name + " was asked for");
        }
        byte[] plaintext = decrypt(envelope);
        try {
            return Utf8.decode(plaintext);
        } catch (CharacterCodingException e) {
            throw new PasssafeException.UnsupportedServer("the secret is not valid UTF-8");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private byte[] decrypt(Envelope envelope) {
        if (key != null) {
            if (iterations != envelope.iterations || !Arrays.equals(salt, envelope.salt)) {
                throw new PasssafeException.UnsupportedServer("the safe's salt changed since this client's first call, which a passsafe server never does");
            }
            return open(envelope, key);
        }
        byte[] derived = Kdf.derive(passphrase, envelope.salt, envelope.iterations);
        try {
            byte[] plaintext = open(envelope, derived);
            // It worked: keep the key and forget the passphrase.
            key = derived.clone();
            salt = envelope.salt.clone();
            iterations = envelope.iterations;
            Arrays.fill(passphrase, '\0');
            passphrase = null;
            return plaintext;
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    private byte[] open(Envelope envelope, byte[] key) {
        keyedCiphers = true;
        try {
            return envelope.open(key);
        } catch (AEADBadTagException e) {
            throw new PasssafeException.WrongPassphrase();
        }
    }

    /** Whether any cipher was keyed, so that copies of a key may lie in the heap's garbage. */
    synchronized boolean keyedCiphers() {
        return keyedCiphers;
    }

    /** Wipes the passphrase and the key; later calls to {@link #open} throw. */
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
