package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's half of the crypto: one key from the passphrase, every secret sealed under it, the key wiped on close. */
class SealerTest {
    private static final int CHEAP = 1_000;

    @Test
    void seal_underTheKeyOfThePassphraseAndItsOwnSalt() throws Exception {
        char[] passphrase = "correct horse battery".toCharArray();
        try (Sealer sealer = new Sealer(passphrase, CHEAP)) {
            assertArrayEquals("correct horse battery".toCharArray(), passphrase, "the caller's passphrase is the caller's to wipe");
            byte[] key = Kdf.derive(passphrase, sealer.salt(), CHEAP);
            assertArrayEquals(key, sealer.key());
            assertArrayEquals(KeyCheck.of(key), sealer.keyCheck());
            Envelope envelope = sealer.seal("api", "s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(List.of("api", CHEAP), List.of(envelope.name, envelope.iterations));
            assertArrayEquals(sealer.salt(), envelope.salt);
            assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), envelope.open(key));
            assertEquals(CHEAP, sealer.iterations());
        }
    }

    @Test
    void salt_freshForEachSealer() {
        try (Sealer one = new Sealer("a b c".toCharArray(), CHEAP); Sealer two = new Sealer("a b c".toCharArray(), CHEAP)) {
            assertFalse(Arrays.equals(one.salt(), two.salt()));
        }
    }

    @Test
    void close_wipesTheKey() {
        Sealer sealer = new Sealer("correct horse battery".toCharArray(), CHEAP);
        byte[] key = sealer.key();
        sealer.close();
        assertArrayEquals(new byte[key.length], sealer.key(), "the key it holds is zeroes once closed");
    }
}
