package passsafe;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one reader of HTTP/1.1's CRLF-terminated lines, for the client reading an answer and the
 * socket server reading a request alike: bounded, so a peer that never sends a newline cannot
 * grow a buffer without end.
 */
final class HttpLines {
    private HttpLines() {}

    static final class BareLf extends IOException {
        private static final long serialVersionUID = 1L;

        BareLf() {
            super("a line ends in LF without CR");
        }
    }

    static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;

        TooLong(int max) {
            super("a line is longer than " + max + " bytes");
        }
    }

    /**
     * The next line, without its CRLF (a lone LF ends a line too), as ISO-8859-1; null when the
     * stream ends before the line's first byte.
     *
     * @throws TooLong past {@code max} bytes
     * @throws EOFException when the stream ends in the middle of a line
     */
    static String read(InputStream in, int max) throws IOException {
        return read(in, max, false);
    }

    /**
     * As {@link #read(InputStream, int)}, but with {@code crlf} a line must end in CRLF, as passsafe's
     * server requires of a request.
     *
     * @throws BareLf for a line that ends in LF alone, when {@code crlf}
     */
    static String read(InputStream in, int max, boolean crlf) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("the connection closed in the middle of a line");
            }
            if (line.size() == max) {
                throw new TooLong(max);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        if (text.endsWith("\r")) {
            return text.substring(0, text.length() - 1);
        }
        if (crlf) {
            throw new BareLf();
        }
        return text;
    }
}
