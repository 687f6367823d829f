package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.security.SecureRandom;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class KdfTest {
    private static byte[] first32(String hex) {
        return Arrays.copyOf(HexFormat.of().parseHex(hex), 32);
    }

    /** RFC 7914, section 11: the first 32 bytes of its 64-byte PBKDF2-HMAC-SHA256 outputs. */
    @Test
    void derive_rfc7914Vectors() {
        assertArrayEquals(first32("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"),
                Kdf.derive("passwd".toCharArray(), "salt".getBytes(StandardCharsets.US_ASCII), 1));
        assertArrayEquals(first32("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"),
                Kdf.derive("Password".toCharArray(), "NaCl".getBytes(StandardCharsets.US_ASCII), 80_000));
    }

    /** The JDK's own PBKDF2WithHmacSHA256 agrees, over passphrases, salts and counts. */
    @Test
    void derive_matchesTheJdksPbkdf2() throws Exception {
        SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        SecureRandom random = new SecureRandom();
        for (String passphrase : new String[] {"a", "crudely explode kilogram detached overdrive sprout", "pässwörd ✓", "x".repeat(200)}) {
            for (int iterations : new int[] {1, 2, 3, 1000}) {
                byte[] salt = new byte[16];
                random.nextBytes(salt);
                byte[] expected = jdk.generateSecret(new PBEKeySpec(passphrase.toCharArray(), salt, iterations, 256)).getEncoded();
                assertArrayEquals(expected, Kdf.derive(passphrase.toCharArray(), salt, iterations), passphrase + " x" + iterations);
            }
        }
    }

    @Test
    void derive_leavesTheCallersPassphraseIntact() {
        char[] passphrase = "alpha beta".toCharArray();
        Kdf.derive(passphrase, new byte[16], 1);
        assertArrayEquals("alpha beta".toCharArray(), passphrase);
    }

    @Test
    void defaults_meetOwaspAndNist() {
        assertTrue(Kdf.ITERATIONS >= 600_000);
        assertEquals(16, Kdf.SALT_SIZE_IN_BYTES);
        assertEquals(256, Kdf.KEY_SIZE_IN_BITS);
    }
}
