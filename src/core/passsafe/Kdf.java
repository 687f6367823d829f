package passsafe;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Derives the AES key from a passphrase with PBKDF2-HMAC-SHA256 (RFC 8018, section 5.2), with
 * HMAC (RFC 2104) composed here from the JDK's SHA-256. The JDK's own PBKDF2WithHmacSHA256 key
 * object registers a cleaner that keeps a copy of the passphrase and of the key reachable until a
 * garbage collection happens to run it; the JDK's HmacSHA256 keeps its pads, the passphrase XOR
 * 0x36 and XOR 0x5c, inside a {@code Mac} no one can wipe, and takes the passphrase in a
 * {@code SecretKeySpec} whose copy no one can wipe either. Composed here, every buffer that holds
 * the passphrase or anything derived from it is ours, and wiped. Tests check the result against
 * RFC 7914's vectors and the JDK's implementation.
 *
 * <p>The iteration count is OWASP's current figure for this function; a client refuses counts
 * outside [{@link #MIN_ITERATIONS}, {@link #MAX_ITERATIONS}] before deriving, so a fake server can
 * neither downgrade the work factor nor make the client spin for minutes.
 */
final class Kdf {
    static final String DIGEST = "SHA-256";
    static final int ITERATIONS = 600_000;
    static final int MIN_ITERATIONS = ITERATIONS;
    static final int MAX_ITERATIONS = 10_000_000;
    /** One HMAC-SHA256 output: the key is exactly PBKDF2's first block, T_1. */
    static final int KEY_SIZE_IN_BYTES = 32;
    static final int KEY_SIZE_IN_BITS = KEY_SIZE_IN_BYTES * 8;
    static final int SALT_SIZE_IN_BYTES = 16;
    private static final int BLOCK_SIZE_IN_BYTES = 64;
    private static final byte[] BLOCK_ONE = {0, 0, 0, 1};

    private Kdf() {}

    /** Returns a fresh 32-byte key; the caller wipes it. The passphrase must not be empty. */
    static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("the iteration count must be positive");
        }
        MessageDigest sha256 = sha256();
        byte[] inner = new byte[BLOCK_SIZE_IN_BYTES];
        byte[] outer = new byte[BLOCK_SIZE_IN_BYTES];
        byte[] u = new byte[KEY_SIZE_IN_BYTES];
        byte[] key = new byte[KEY_SIZE_IN_BYTES];
        try {
            pads(sha256, passphrase, inner, outer);
            // U_1 = HMAC(P, salt || INT(1)); U_i = HMAC(P, U_{i-1}); T_1 = U_1 ^ ... ^ U_c
            hmac(sha256, inner, outer, u, salt, BLOCK_ONE);
            System.arraycopy(u, 0, key, 0, u.length);
            for (int i = 1; i < iterations; i++) {
                hmac(sha256, inner, outer, u, u, null);
                for (int j = 0; j < key.length; j++) {
                    key[j] ^= u[j];
                }
            }
            return key;
        } finally {
            Arrays.fill(inner, (byte) 0);
            Arrays.fill(outer, (byte) 0);
            Arrays.fill(u, (byte) 0);
            scrub(sha256);
        }
    }

    /**
     * HMAC-SHA256 of {@code message} under {@code key}, composed as {@link #derive}'s is, so no JDK
     * object keeps the key or its pads; the caller wipes the result.
     */
    static byte[] hmac(byte[] key, byte[] message) {
        MessageDigest sha256 = sha256();
        byte[] inner = new byte[BLOCK_SIZE_IN_BYTES];
        byte[] outer = new byte[BLOCK_SIZE_IN_BYTES];
        byte[] out = new byte[KEY_SIZE_IN_BYTES];
        try {
            pads(sha256, key, inner, outer);
            hmac(sha256, inner, outer, out, message, null);
            return out;
        } finally {
            Arrays.fill(inner, (byte) 0);
            Arrays.fill(outer, (byte) 0);
            scrub(sha256);
        }
    }

    private static void pads(MessageDigest sha256, char[] passphrase, byte[] inner, byte[] outer) {
        byte[] password = Utf8.encode(passphrase);
        try {
            pads(sha256, password, inner, outer);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance(DIGEST);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + DIGEST, e);
        }
    }

    /** The key XOR 0x36 and XOR 0x5c, each padded to a block (a key longer than a block is hashed first). */
    private static void pads(MessageDigest sha256, byte[] key, byte[] inner, byte[] outer) {
        byte[] k = key.length > BLOCK_SIZE_IN_BYTES ? sha256.digest(key) : key;
        try {
            Arrays.fill(inner, (byte) 0x36);
            Arrays.fill(outer, (byte) 0x5c);
            for (int i = 0; i < k.length; i++) {
                inner[i] ^= k[i];
                outer[i] ^= k[i];
            }
        } finally {
            if (k != key) {
                Arrays.fill(k, (byte) 0);
            }
        }
    }

    /** {@code out} = HMAC-SHA256 of {@code first} and {@code second} (null for none), in place, with no allocation. */
    private static void hmac(MessageDigest sha256, byte[] inner, byte[] outer, byte[] out, byte[] first, byte[] second) {
        try {
            sha256.update(inner);
            sha256.update(first);
            if (second != null) {
                sha256.update(second);
            }
            sha256.digest(out, 0, out.length);
            sha256.update(outer);
            sha256.update(out);
            sha256.digest(out, 0, out.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(DIGEST + " failed", e);
        }
    }

    /**
     * Leaves nothing of the last block in the digest: its buffer still holds the last U, so it is
     * overwritten with zeros (less than a block, so through the buffer), and the state reset.
     */
    private static void scrub(MessageDigest sha256) {
        sha256.update(new byte[BLOCK_SIZE_IN_BYTES - 1]);
        sha256.reset();
    }
}
