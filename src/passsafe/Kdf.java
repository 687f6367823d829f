package passsafe;

import java.security.GeneralSecurityException;
import java.security.spec.InvalidKeySpecException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Derives the AES key from a passphrase with PBKDF2-HMAC-SHA256 (the JDK's provider).
 * The iteration count is OWASP's 2023 figure for this function; a client refuses counts outside
 * [{@link #MIN_ITERATIONS}, {@link #MAX_ITERATIONS}] before deriving, so a fake server can neither
 * downgrade the work factor nor make the client spin for minutes.
 */
final class Kdf {
    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    static final int ITERATIONS = 600_000;
    static final int MIN_ITERATIONS = ITERATIONS;
    static final int MAX_ITERATIONS = 10_000_000;
    static final int KEY_SIZE_IN_BITS = 256;
    static final int SALT_SIZE_IN_BYTES = 16;

    private Kdf() {}

    /** Returns a fresh 32-byte key; the caller wipes it. */
    static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, KEY_SIZE_IN_BITS);
        try {
            // The JDK's key object keeps its own copy of the passphrase; it is dropped here and
            // never stored, so it becomes unreachable as soon as this method returns.
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("cannot derive a key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }
}
