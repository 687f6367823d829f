package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Any bytes as an envelope from the server: refused with the one documented exception, or parsed
 * into the one canonical spelling of exactly those bytes. The opener only ever holds a key that
 * was derived before any envelope arrived, so a refused envelope costs no derivation.
 */
class EnvelopeFuzzTest {
    /** The key every seed envelope is sealed under, and its salt. */
    private static final byte[] KEY = new byte[32];
    private static final byte[] SALT = new byte[16];

    @FuzzTest(maxDuration = "2m")
    void anyBytes_refusedOrCanonical(byte[] input) {
        Envelope envelope;
        try {
            envelope = Envelope.parse(input, 1, Kdf.MAX_ITERATIONS);
        } catch (PasssafeException.UnsupportedServer refused) {
            FuzzChecks.oneLine(refused.getMessage());
            return;
        }
        assertArrayEquals(input, envelope.encode(), "parsed bytes that are not the envelope's one spelling");
    }

    @FuzzTest(maxDuration = "2m")
    void anyBytes_openedOrRefusedByTheOpener(byte[] input) {
        try (Opener opener = new Opener(KEY, SALT, 1_000, 1)) {
            byte[] secret;
            try {
                secret = opener.open(input, Names.DEFAULT);
            } catch (PasssafeException.UnsupportedServer refused) {
                FuzzChecks.oneLine(refused.getMessage());
                return;
            }
            // Opened: so it was sealed under this key, for this name and salt, and is exactly one canonical envelope.
            Envelope envelope = Envelope.parse(input, 1, Kdf.MAX_ITERATIONS);
            assertEquals(Names.DEFAULT, envelope.name);
            assertArrayEquals(SALT, envelope.salt);
            Arrays.fill(secret, (byte) 0);
        }
    }
}
