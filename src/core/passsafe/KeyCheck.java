package passsafe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The proof that a client holds the safe's key before the safe counts a use: HMAC-SHA256 of a
 * fixed label under the key. The server computes it once at sealing and keeps it beside the
 * envelopes; a client derives the key from its passphrase and the salt in the safe's status, and
 * sends the same value in {@link Protocol#KEY_CHECK_HEADER}. A wrong passphrase is then refused
 * before the use is spent. The value opens nothing, and tells someone guessing passphrases no more
 * than an envelope's authentication tag already does: each guess still costs a full derivation.
 */
final class KeyCheck {
    static final int SIZE_IN_BYTES = 32;
    private static final byte[] LABEL = "passsafe key check 1".getBytes(StandardCharsets.US_ASCII);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private KeyCheck() {}

    static byte[] of(byte[] key) {
        return Kdf.hmac(key, LABEL);
    }

    /** Whether {@code presented} is {@code expected}, in time that does not depend on where they differ. */
    static boolean matches(byte[] expected, byte[] presented) {
        return presented != null && MessageDigest.isEqual(expected, presented);
    }

    static String hex(byte[] bytes) {
        char[] text = new char[bytes.length * 2];
        hexInto(bytes, text, 0);
        return new String(text);
    }

    static int hexInto(byte[] bytes, char[] text, int at) {
        for (byte b : bytes) {
            text[at++] = HEX[(b >> 4) & 0xf];
            text[at++] = HEX[b & 0xf];
        }
        return at;
    }

    /** The bytes of hex {@code text[from, from + 2 * size)}, or null: for a key read from a file, which never becomes a String. */
    static byte[] parseHex(char[] text, int from, int size) {
        if (from < 0 || from + 2 * size > text.length) {
            return null;
        }
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            int high = digit(text[from + 2 * i]);
            int low = digit(text[from + 2 * i + 1]);
            if (high < 0 || low < 0) {
                java.util.Arrays.fill(bytes, (byte) 0);
                return null;
            }
            bytes[i] = (byte) (high << 4 | low);
        }
        return bytes;
    }

    static byte[] parseHex(String text, int size) {
        return text == null || text.length() != size * 2 ? null : parseHex(text.toCharArray(), 0, size);
    }

    /** 0 to 15 for {@code 0-9a-f}; -1 for anything else (Character.digit takes other scripts' digits too). */
    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
