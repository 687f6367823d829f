package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The client's opener on its own: which counts it derives with, what it wipes, and which envelopes it opens. */
class OpenerTest {
    private static final byte[] SALT = new byte[16];
    private static final int MIN = 1_000;

    private static Protocol.Status open(int iterations) {
        return new Protocol.Status(State.OPEN, 60, 0, -1, 3).withKdf(SALT, iterations);
    }

    private static byte[] key(String passphrase, int iterations) {
        return Kdf.derive(passphrase.toCharArray(), SALT, iterations);
    }

    @Test
    void keyCheck_iterationsAtTheMinimumDerived_oneBelowRefused() {
        char[] passphrase = "correct horse".toCharArray();
        try (Opener opener = new Opener(passphrase, MIN)) {
            assertArrayEquals(KeyCheck.of(key("correct horse", MIN)), opener.keyCheck(() -> open(MIN)));
            assertArrayEquals(new char[passphrase.length], passphrase, "the passphrase is wiped once the key is derived");
        }
        try (Opener opener = new Opener("correct horse".toCharArray(), MIN)) {
            PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, () -> opener.keyCheck(() -> open(MIN - 1)));
            assertTrue(e.getMessage().contains("an iteration count of 999 is outside the accepted 1000 to " + Kdf.MAX_ITERATIONS), e.getMessage());
        }
        try (Opener opener = new Opener("correct horse".toCharArray(), MIN)) {
            assertThrows(PasssafeException.UnsupportedServer.class, () -> opener.keyCheck(() -> open(Kdf.MAX_ITERATIONS + 1)));
        }
        try (Opener opener = new Opener("correct horse".toCharArray(), MIN)) {
            // The most a server may ask for is accepted: 10 million iterations, a second or two here.
            assertArrayEquals(KeyCheck.of(key("correct horse", Kdf.MAX_ITERATIONS)), opener.keyCheck(() -> open(Kdf.MAX_ITERATIONS)));
        }
    }

    @Test
    void keyCheck_endedOrLockedSafe_saysSoWithoutDeriving() {
        try (Opener opener = new Opener("correct horse".toCharArray(), MIN)) {
            assertThrows(PasssafeException.Locked.class, () -> opener.keyCheck(() -> new Protocol.Status(State.LOCKED, 60, 0, -1, 0)));
            PasssafeException.Closed closed = assertThrows(PasssafeException.Closed.class,
                    () -> opener.keyCheck(() -> new Protocol.Status(State.USED_UP, 60, 1, 0, 3)));
            assertEquals("used-up", closed.reason().toString());
            assertThrows(PasssafeException.UnsupportedServer.class, () -> opener.keyCheck(() -> new Protocol.Status(State.OPEN, 60, 0, -1, 3)),
                    "an open safe that gives no salt is no passsafe server");
        }
    }

    @Test
    void open_theEnvelopeAskedForUnderTheKeysSalt_only() {
        byte[] key = key("correct horse", MIN);
        byte[] sealed = Envelope.seal(Names.DEFAULT, "s3cret".getBytes(StandardCharsets.UTF_8), key, SALT, MIN).encode();
        try (Opener opener = new Opener(key, SALT, MIN, MIN)) {
            assertThrows(PasssafeException.UnsupportedServer.class, () -> opener.open(sealed, "api"), "another name than asked for");
            assertArrayEquals("s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8), opener.open(sealed, Names.DEFAULT));
        }
        byte[] otherSalt = new byte[16];
        otherSalt[15] = 1;
        byte[] resalted = Envelope.seal(Names.DEFAULT, new byte[] {1}, key, otherSalt, MIN).encode();
        try (Opener opener = new Opener(key, SALT, MIN, MIN)) {
            assertThrows(PasssafeException.UnsupportedServer.class, () -> opener.open(resalted, Names.DEFAULT));
        }
        try (Opener opener = new Opener(new byte[32], SALT, MIN, MIN)) {
            assertThrows(PasssafeException.UnsupportedServer.class, () -> opener.open(sealed, Names.DEFAULT), "another key");
        }
    }

    @Test
    void close_wipesAPassphraseNotYetUsed_andLaterCallsThrow() {
        char[] passphrase = "correct horse".toCharArray();
        Opener opener = new Opener(passphrase, MIN);
        opener.close();
        assertArrayEquals(new char[passphrase.length], passphrase);
        assertThrows(IllegalStateException.class, () -> opener.keyCheck(() -> open(MIN)));
        Opener keyed = new Opener(new byte[32], SALT, MIN, MIN);
        keyed.close();
        assertThrows(IllegalStateException.class, () -> keyed.open(new byte[0], Names.DEFAULT));
        keyed.close();
    }
}
