package passsafe;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Asks the user for input: on the console when there is one (the password without echo),
 * otherwise line by line from standard input so scripts can drive the server. Standard input is
 * read one byte at a time from the raw stream, so no buffer ever holds the password.
 */
final class Prompt {
    static final int MAX_SECRET_BYTES = 64 * 1024;
    private static final int MAX_LINE_BYTES = 1024;

    private final Console console;
    private final InputStream in;
    private final Terminal out;

    /** {@code console} is null when standard input is not a terminal. */
    Prompt(Console console, InputStream in, Terminal out) {
        this.console = console;
        this.in = in;
        this.out = out;
    }

    boolean interactive() {
        return console != null;
    }

    /** A line of plain input, or null at end of input. */
    String line(String prompt) throws IOException {
        if (console != null) {
            return console.readLine("%s", prompt);
        }
        out.println(prompt);
        byte[] bytes = readLine(MAX_LINE_BYTES);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A secret, never echoed; null at end of input. The caller wipes it. */
    char[] secret(String prompt) throws IOException {
        if (console != null) {
            return console.readPassword("%s", prompt);
        }
        out.println(prompt);
        byte[] bytes = readLine(MAX_SECRET_BYTES);
        if (bytes == null) {
            return null;
        }
        try {
            return Utf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw new IOException("the password on standard input is not valid UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The bytes up to the next newline (a trailing CR dropped), or null at end of input. */
    private byte[] readLine(int max) throws IOException {
        // Sized once: a growing buffer would leave copies of the secret behind each time it grew.
        byte[] line = new byte[max];
        int n = 0;
        try {
            int b = in.read();
            if (b == -1) {
                return null;
            }
            for (; b != -1 && b != '\n'; b = in.read()) {
                if (n == max) {
                    throw new IOException("an input line is longer than " + max + " bytes");
                }
                line[n++] = (byte) b;
            }
            return Arrays.copyOf(line, n > 0 && line[n - 1] == '\r' ? n - 1 : n);
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }
}
