package passsafe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every fuzz target asks of a message it provoked: one line, plain text, none of the input's own bytes beyond a plain word. */
final class FuzzChecks {
    private FuzzChecks() {}

    /** A stored input as the text a user typed: its UTF-8, each malformed byte a replacement character. */
    static String text(byte[] input) {
        return new String(input, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A stored input as a command line: one argument per line, so a stored input reads as the arguments it holds. */
    static String[] args(byte[] input) {
        String text = text(input);
        return text.isEmpty() ? new String[0] : text.split("\n", -1);
    }

    /** A message a user or the owner reads: present, one line, no control character a peer could have chosen. */
    static void oneLine(String message) {
        assertNotNull(message);
        assertFalse(message.isEmpty());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            assertTrue(c >= ' ' && c != 0x7f, () -> "a control character in: " + message);
        }
    }
}
