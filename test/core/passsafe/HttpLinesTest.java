package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpLinesTest {
    private static InputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void read_crlfAndLfLines_withoutTheirEnds() throws Exception {
        InputStream in = in("GET / HTTP/1.1\r\nHost: x\n\r\n");
        assertEquals("GET / HTTP/1.1", HttpLines.read(in, 64));
        assertEquals("Host: x", HttpLines.read(in, 64));
        assertEquals("", HttpLines.read(in, 64));
        assertNull(HttpLines.read(in, 64), "the end of input before a line's first byte");
    }

    @Test
    void read_endInTheMiddleOfALine_isAnEofException() {
        assertThrows(EOFException.class, () -> HttpLines.read(in("HTTP/1.1 2"), 64));
    }

    @Test
    void read_atTheLimit_isALineAndOneMoreByteIsTooLong() throws Exception {
        assertEquals("x".repeat(8), HttpLines.read(in("x".repeat(8) + "\n"), 8));
        assertThrows(HttpLines.TooLong.class, () -> HttpLines.read(in("x".repeat(9) + "\n"), 8));
        assertThrows(HttpLines.TooLong.class, () -> HttpLines.read(in("x".repeat(1_000_000)), 8), "stops reading at the limit");
    }

    @Test
    void read_bytesAbove127_areLatin1NotLost() throws Exception {
        assertEquals("caf\u00e9", HttpLines.read(new ByteArrayInputStream(new byte[] {'c', 'a', 'f', (byte) 0xe9, '\r', '\n'}), 64));
    }
}
