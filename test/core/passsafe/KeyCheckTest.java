package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The key check a client proves its key with, and the hex both ends spell keys and checks in. */
class KeyCheckTest {
    @Test
    void of_isTheHmacOfTheLabelUnderTheKey() throws Exception {
        byte[] key = new byte[32];
        key[0] = 1;
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        assertArrayEquals(mac.doFinal("passsafe key check 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), KeyCheck.of(key));
        assertTrue(KeyCheck.matches(KeyCheck.of(key), KeyCheck.of(key)));
        assertFalse(KeyCheck.matches(KeyCheck.of(key), KeyCheck.of(new byte[32])));
    }

    @Test
    void parseHex_charsAtAnyOffset_exactlyFittingOrNull() {
        char[] text = "xxab01FFzz".toCharArray();
        assertArrayEquals(new byte[] {(byte) 0xab, 0x01}, KeyCheck.parseHex(text, 2, 2));
        assertNull(KeyCheck.parseHex(text, 4, 2), "upper case is not the spelling passsafe writes");
        char[] exact = "ab01".toCharArray();
        assertArrayEquals(new byte[] {(byte) 0xab, 0x01}, KeyCheck.parseHex(exact, 0, 2), "ending exactly at the text's end");
        assertNull(KeyCheck.parseHex(exact, 1, 2), "one past the end");
        assertNull(KeyCheck.parseHex(exact, 0, 3));
        assertNull(KeyCheck.parseHex(exact, -1, 1));
        assertArrayEquals(new byte[] {0x01}, KeyCheck.parseHex(exact, 2, 1));
        assertNull(KeyCheck.parseHex("ag".toCharArray(), 0, 1));
    }

    @Test
    void parseHex_stringOfExactlyTwiceTheSize_lowerCase() {
        assertArrayEquals(new byte[] {0x0f, (byte) 0xa0}, KeyCheck.parseHex("0fa0", 2));
        assertNull(KeyCheck.parseHex("0fa", 2));
        assertNull(KeyCheck.parseHex("0fa00", 2));
        assertNull(KeyCheck.parseHex("0FA0", 2));
        assertNull(KeyCheck.parseHex(null, 2));
        assertEquals("0fa0", KeyCheck.hex(new byte[] {0x0f, (byte) 0xa0}));
    }
}
