package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    static final int CHEAP = 1_000;
    private static final byte[] KEY = Kdf.derive("alpha beta gamma delta epsilon zeta".toCharArray(), new byte[16], CHEAP);

    private static Envelope seal(byte[] plaintext) {
        byte[] salt = new byte[Kdf.SALT_SIZE_IN_BYTES];
        return Envelope.seal(Names.DEFAULT, plaintext, KEY, salt, CHEAP);
    }

    private static Envelope parse(byte[] wire) {
        return Envelope.parse(wire, CHEAP, Kdf.MAX_ITERATIONS);
    }

    @Test
    void seal_roundTripsEverySize() throws Exception {
        for (int size = 0; size <= 600; size += 7) {
            byte[] plaintext = new byte[size];
            Arrays.fill(plaintext, (byte) size);
            Envelope envelope = parse(seal(plaintext).encode());
            assertArrayEquals(plaintext, envelope.open(KEY), "size " + size);
        }
    }

    @Test
    void open_wrongKey_fails() {
        Envelope envelope = seal("secret".getBytes(StandardCharsets.UTF_8));
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThrows(AEADBadTagException.class, () -> envelope.open(other));
    }

    @Test
    void seal_sameSecretTwice_differsInNonceAndCiphertext() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertTrue(seen.add(new String(seal(new byte[] {42}).encode(), StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void encode_everySingleBitFlipped_isRefusedOrFailsToOpen() {
        byte[] wire = seal("correct horse battery staple".getBytes(StandardCharsets.UTF_8)).encode();
        int checked = 0;
        for (int i = 0; i < wire.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = wire.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertFalse(opens(tampered), "flipping bit " + bit + " of byte " + i + " still opened");
                checked++;
            }
        }
        assertEquals(wire.length * 8, checked);
    }

    private static boolean opens(byte[] wire) {
        try {
            Envelope envelope = parse(wire);
            envelope.open(KEY);
            return true;
        } catch (PasssafeException.UnsupportedServer | AEADBadTagException e) {
            return false;
        }
    }

    /** Computed independently with Python's hashlib.pbkdf2_hmac and cryptography's AESGCM. */
    @Test
    void parse_knownAnswerVector_opensToItsPlaintext() throws Exception {
        String wire = "passsafe-envelope 1\n"
                + "name password\n"
                + "kdf pbkdf2-hmac-sha256 600000\n"
                + "salt AAECAwQFBgcICQoLDA0ODw==\n"
                + "nonce oKGio6Slpqeoqaqr\n"
                + "ciphertext 5b0qdskhsxBdH/vLn3FQbGRM04g7+oAW5096rXKurvDpwya8bCACecDD9LU=\n";
        Envelope envelope = Envelope.parse(wire.getBytes(StandardCharsets.US_ASCII), Kdf.MIN_ITERATIONS, Kdf.MAX_ITERATIONS);
        byte[] key = Kdf.derive("crudely explode kilogram detached overdrive sprout".toCharArray(), envelope.salt, envelope.iterations);
        assertEquals("correct horse battery staple", new String(envelope.open(key), StandardCharsets.UTF_8));
        assertArrayEquals(wire.getBytes(StandardCharsets.US_ASCII), envelope.encode());
    }

    @Test
    void parse_iterationsOutsideBounds_isRefusedBeforeDeriving() {
        for (String count : new String[] {"1", "599999", "10000001", "1000000000"}) {
            byte[] wire = withLine(2, "kdf pbkdf2-hmac-sha256 " + count);
            PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class,
                    () -> Envelope.parse(wire, Kdf.MIN_ITERATIONS, Kdf.MAX_ITERATIONS));
            assertTrue(e.getMessage().contains("iteration count of " + count), e.getMessage());
        }
    }

    @Test
    void parse_otherVersion_namesBothVersions() {
        byte[] wire = withLine(0, "passsafe-envelope 2");
        PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, () -> parse(wire));
        assertTrue(e.getMessage().contains("version 2 and this client reads only version 1"), e.getMessage());
    }

    @Test
    void parse_nonCanonicalSpellings_areRefused() {
        String[][] cases = {
            {"3", "salt AAECAwQFBgcICQoLDA0ODw"},
            {"2", "kdf pbkdf2-hmac-sha256 0600000"},
            {"2", "kdf pbkdf2-hmac-sha256  600000"},
            {"1", "name Password"},
            {"1", "Name password"},
            {"4", "nonce oKGio6Slpqeoqaqr "},
        };
        for (String[] c : cases) {
            byte[] wire = withLine(Integer.parseInt(c[0]), c[1]);
            assertThrows(PasssafeException.UnsupportedServer.class, () -> parse(wire), c[1]);
        }
        assertThrows(PasssafeException.UnsupportedServer.class, () -> parse("hello\n".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(PasssafeException.UnsupportedServer.class, () -> parse(new byte[0]));
    }

    private static byte[] withLine(int index, String line) {
        String[] lines = new String(seal(new byte[] {1}).encode(), StandardCharsets.US_ASCII).split("\n");
        lines[index] = line;
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void wipe_zeroesEveryArray() {
        Envelope envelope = Envelope.seal(Names.DEFAULT, new byte[] {1, 2, 3}, KEY, Envelope.newSalt(), CHEAP);
        envelope.wipe();
        for (byte[] field : new byte[][] {envelope.salt, envelope.nonce, envelope.ciphertext}) {
            for (byte b : field) {
                if (b != 0) {
                    fail("a byte survived the wipe");
                }
            }
        }
    }

    @Test
    void newSalt_freshEachTime() {
        Set<String> salts = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            salts.add(Arrays.toString(Envelope.newSalt()));
        }
        assertEquals(8, salts.size());
    }

    @Test
    void seal_malformedName_isRefusedBeforeSealing() {
        assertThrows(IllegalArgumentException.class, () -> Envelope.seal("Not a name", new byte[] {1}, KEY, new byte[16], CHEAP));
    }

    @Test
    void parse_iterationsAtEitherBound_accepted() {
        for (int count : new int[] {Kdf.MIN_ITERATIONS, Kdf.MAX_ITERATIONS}) {
            byte[] wire = withLine(2, "kdf pbkdf2-hmac-sha256 " + count);
            assertEquals(count, Envelope.parse(wire, Kdf.MIN_ITERATIONS, Kdf.MAX_ITERATIONS).iterations);
        }
    }

    @Test
    void parse_sizeAtTheLimit_readOnePastRefusedUnread() {
        byte[] sealed = seal(new byte[] {1}).encode();
        byte[] atLimit = Arrays.copyOf(sealed, Envelope.MAX_SIZE_IN_BYTES);
        PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, () -> parse(atLimit));
        assertFalse(e.getMessage().contains("too large"), e.getMessage());
        byte[] past = Arrays.copyOf(sealed, Envelope.MAX_SIZE_IN_BYTES + 1);
        e = assertThrows(PasssafeException.UnsupportedServer.class, () -> parse(past));
        assertTrue(e.getMessage().contains("an envelope of " + (Envelope.MAX_SIZE_IN_BYTES + 1) + " bytes is too large"), e.getMessage());
    }

    @Test
    void parse_otherVersion_shownOnlyWhenShortAndPlain() {
        PasssafeException twelve = assertThrows(PasssafeException.UnsupportedServer.class, () -> parse(withLine(0, "passsafe-envelope 123456789012")));
        assertTrue(twelve.getMessage().contains("version 123456789012 and"), twelve.getMessage());
        PasssafeException thirteen = assertThrows(PasssafeException.UnsupportedServer.class, () -> parse(withLine(0, "passsafe-envelope 1234567890123")));
        assertTrue(thirteen.getMessage().contains("version (unreadable) and"), thirteen.getMessage());
        PasssafeException control = assertThrows(PasssafeException.UnsupportedServer.class, () -> parse(withLine(0, "passsafe-envelope 2\u001b[2J")));
        assertTrue(control.getMessage().contains("version (unreadable) and"), control.getMessage());
    }

    @Test
    void toString_showsNothingOfTheCiphertext() {
        Envelope envelope = seal(new byte[] {1, 2, 3});
        String text = envelope.toString();
        assertFalse(text.contains(java.util.Base64.getEncoder().encodeToString(envelope.ciphertext)), text);
        assertTrue(text.contains(Names.DEFAULT), text);
    }
}
