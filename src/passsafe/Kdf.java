package passsafe;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives the AES key from a passphrase with PBKDF2-HMAC-SHA256 (RFC 8018, section 5.2), composed
 * here from the JDK's HmacSHA256. The JDK's own PBKDF2WithHmacSHA256 key object registers a cleaner
 * that keeps a copy of the passphrase and of the key reachable until a garbage collection happens
 * to run it; composing the function from the MAC leaves every buffer in our hands to wipe. Tests
 * check the result against RFC 7914's vectors and the JDK's implementation.
 *
 * <p>The iteration count is OWASP's current figure for this function; a client refuses counts
 * outside [{@link #MIN_ITERATIONS}, {@link #MAX_ITERATIONS}] before deriving, so a fake server can
 * neither downgrade the work factor nor make the client spin for minutes.
 */
final class Kdf {
    static final String PRF = "HmacSHA256";
    static final int ITERATIONS = 600_000;
    static final int MIN_ITERATIONS = ITERATIONS;
    static final int MAX_ITERATIONS = 10_000_000;
    /** One HMAC-SHA256 block: the key is exactly PBKDF2's first block, T_1. */
    static final int KEY_SIZE_IN_BYTES = 32;
    static final int KEY_SIZE_IN_BITS = KEY_SIZE_IN_BYTES * 8;
    static final int SALT_SIZE_IN_BYTES = 16;
    private static final byte[] BLOCK_ONE = {0, 0, 0, 1};

    private Kdf() {}

    /** Returns a fresh 32-byte key; the caller wipes it. The passphrase must not be empty. */
    static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("the iteration count must be positive");
        }
        byte[] password = Utf8.encode(passphrase);
        byte[] u = new byte[KEY_SIZE_IN_BYTES];
        byte[] key = new byte[KEY_SIZE_IN_BYTES];
        try {
            Mac prf = Mac.getInstance(PRF);
            prf.init(new SecretKeySpec(password, PRF));
            prf.update(salt);
            prf.update(BLOCK_ONE);
            prf.doFinal(u, 0);
            System.arraycopy(u, 0, key, 0, u.length);
            for (int i = 1; i < iterations; i++) {
                prf.update(u);
                prf.doFinal(u, 0);
                for (int j = 0; j < key.length; j++) {
                    key[j] ^= u[j];
                }
            }
            return key;
        } catch (GeneralSecurityException e) {
            Arrays.fill(key, (byte) 0);
            throw new IllegalStateException("this JDK has no " + PRF, e);
        } finally {
            Arrays.fill(password, (byte) 0);
            Arrays.fill(u, (byte) 0);
        }
    }
}
