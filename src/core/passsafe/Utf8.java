package passsafe;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * UTF-8 conversion for secrets: {@code new String(bytes, UTF_8)} would leave an immutable copy
 * that nobody can wipe, so secrets go between {@code char[]} and {@code byte[]} through these,
 * which wipe every intermediate buffer they make.
 */
final class Utf8 {
    /** Why a secret was refused: Java strings can hold what UTF-8 cannot. */
    static final String NOT_TEXT = "the secret is not valid text (it holds a lone UTF-16 surrogate) and was not stored; check how it was produced";

    private Utf8() {}

    /**
     * Encodes strictly; the caller wipes the result.
     *
     * @throws IllegalArgumentException if {@code chars} is not valid text (a lone surrogate):
     *     a secret is refused whole rather than stored cut short
     */
    static byte[] encode(char[] chars) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.allocate(chars.length * 4);
        try {
            if (encoder.encode(CharBuffer.wrap(chars), buffer, true).isError() || encoder.flush(buffer).isError()) {
                throw new IllegalArgumentException(NOT_TEXT);
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        } finally {
            Arrays.fill(buffer.array(), (byte) 0);
        }
    }

    /** Decodes strictly: malformed input is an error, never silently replaced. */
    static char[] decode(byte[] bytes) throws CharacterCodingException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer buffer = CharBuffer.allocate(bytes.length);
        try {
            check(decoder.decode(ByteBuffer.wrap(bytes), buffer, true).isError());
            check(decoder.flush(buffer).isError());
            return Arrays.copyOf(buffer.array(), buffer.position());
        } finally {
            Arrays.fill(buffer.array(), '\0');
        }
    }

    private static void check(boolean error) throws CharacterCodingException {
        if (error) {
            throw new CharacterCodingException();
        }
    }
}
