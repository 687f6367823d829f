package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "plain", "correct horse ✓", "𝄞 a supplementary character", "ünïcödé"})
    void encode_thenDecode_roundTrips(String text) throws CharacterCodingException {
        byte[] bytes = Utf8.encode(text.toCharArray());
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), bytes);
        assertEquals(text, new String(Utf8.decode(bytes)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ab\uD800cd", "ab\uDC00", "\uD800"})
    void encode_loneSurrogate_isRefusedWholeNeverCutShort(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Utf8.encode(text.toCharArray()));
        assertEquals(Utf8.NOT_TEXT, e.getMessage());
    }

    @Test
    void decode_malformed_isRefused() {
        assertThrows(CharacterCodingException.class, () -> Utf8.decode(new byte[] {'a', (byte) 0xff}));
    }
}
