package passsafe;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The 6-digit token that gates the server. Six random digits with a non-zero first digit
 * (1 in 900,000 to guess), so the token written as a Java int literal can never be read as octal.
 * Tokens are handled as ASCII digit bytes and compared in constant time.
 */
final class Token {
    static final int DIGITS = 6;
    /** How many wrong tokens lock a safe for good. */
    static final int MAX_ATTEMPTS = 3;
    static final String RULE = "the token must be the 6 digits the server printed, such as 936265 or \"936 265\"";

    private Token() {}

    static byte[] generate(SecureRandom random) {
        return ascii(100_000 + random.nextInt(900_000));
    }

    /** "936 265": two groups of three, as printed for the user. */
    static char[] display(byte[] token) {
        char[] shown = new char[DIGITS + 1];
        for (int i = 0, j = 0; i < DIGITS; i++, j++) {
            if (i == 3) {
                shown[j++] = ' ';
            }
            shown[j] = (char) token[i];
        }
        return shown;
    }

    /** Accepts the token as printed, with or without spaces; null when it is not a token. */
    static byte[] parse(CharSequence typed) {
        byte[] token = new byte[DIGITS];
        int n = 0;
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '9' || n == DIGITS || n == 0 && c == '0') {
                return null;
            }
            token[n++] = (byte) c;
        }
        return n == DIGITS ? token : null;
    }

    static byte[] ascii(int value) {
        return parse(Integer.toString(value));
    }

    static String attemptsLeft(int left) {
        return left + (left == 1 ? " attempt left" : " attempts left");
    }

    static boolean matches(byte[] expected, byte[] presented) {
        return presented != null && MessageDigest.isEqual(expected, presented);
    }
}
