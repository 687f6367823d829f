package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The AES key that the JDK's cipher takes and that wipes itself. */
class AesKeyTest {
    @Test
    void getEncoded_aCopyUntilDestroyed_thenRefused() {
        byte[] raw = new byte[32];
        raw[0] = 7;
        AesKey key = new AesKey(raw);
        raw[0] = 0;
        byte[] copy = key.getEncoded();
        assertEquals(7, copy[0], "it holds its own copy, not the caller's array");
        assertNotSame(copy, key.getEncoded());
        assertEquals(java.util.List.of("AES", "RAW"), java.util.List.of(key.getAlgorithm(), key.getFormat()));
        assertFalse(key.isDestroyed());
        key.destroy();
        assertTrue(key.isDestroyed());
        assertThrows(IllegalStateException.class, key::getEncoded);
        assertArrayEquals(new byte[] {7}, new byte[] {copy[0]}, "copies handed out are the caller's to wipe");
    }

    @Test
    void toString_redacted() {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) 0x41);
        assertEquals("AesKey[REDACTED]", new AesKey(raw).toString());
    }
}
