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

    /**
     * 300 random cases against the JDK: PBKDF2 with passphrases of 1 to 200 UTF-8 bytes (ASCII and
     * two-byte letters) and salts of 1 to 64 bytes (the JDK refuses an empty one); for salts of 0
     * bytes, and for the key check's HMAC with keys of 0 to 200 bytes (past a block, hashed first),
     * the JDK's HmacSHA256.
     */
    @Test
    void deriveAndHmac_randomInputs_matchTheJdk() throws Exception {
        SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        java.util.Random random = new java.util.Random(20261201);
        for (int i = 0; i < 300; i++) {
            StringBuilder text = new StringBuilder();
            int bytes = 1 + random.nextInt(200);
            while (text.toString().getBytes(StandardCharsets.UTF_8).length < bytes) {
                text.append(random.nextInt(4) == 0 ? (char) (0xe0 + random.nextInt(30)) : (char) (0x21 + random.nextInt(94)));
            }
            char[] passphrase = text.toString().toCharArray();
            byte[] salt = new byte[random.nextInt(65)];
            random.nextBytes(salt);
            int iterations = 1 + random.nextInt(3);
            byte[] expected;
            if (salt.length > 0) {
                expected = jdk.generateSecret(new PBEKeySpec(passphrase, salt, iterations, 256)).getEncoded();
            } else {
                iterations = 1; // U_1 = HMAC(P, salt || INT(1)), which the JDK's Mac gives for any salt
                expected = mac(text.toString().getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 1});
            }
            assertArrayEquals(expected, Kdf.derive(passphrase, salt, iterations), "case " + i + ": " + bytes + " bytes, salt " + salt.length);

            byte[] key = new byte[random.nextInt(201)];
            random.nextBytes(key);
            byte[] message = new byte[random.nextInt(100)];
            random.nextBytes(message);
            if (key.length > 0) {
                assertArrayEquals(mac(key, message), Kdf.hmac(key, message), "hmac case " + i + ": key of " + key.length);
            }
        }
    }

    private static byte[] mac(byte[] key, byte[] message) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

    @Test
    void hmacAndDerive_keysAroundTheBlockSize_matchTheJdk() throws Exception {
        // A key longer than SHA-256's 64-byte block is hashed first, one of exactly 64 bytes is not.
        javax.crypto.SecretKeyFactory jdk = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        for (int size : new int[] {63, 64, 65}) {
            byte[] key = new byte[size];
            java.util.Arrays.fill(key, (byte) 'k');
            assertArrayEquals(mac(key, new byte[] {1, 2, 3}), Kdf.hmac(key, new byte[] {1, 2, 3}), "a key of " + size + " bytes");
            char[] passphrase = "p".repeat(size).toCharArray();
            assertArrayEquals(jdk.generateSecret(new PBEKeySpec(passphrase, new byte[16], 2, 256)).getEncoded(), Kdf.derive(passphrase, new byte[16], 2),
                    "a passphrase of " + size + " bytes");
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
