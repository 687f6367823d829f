package passsafe;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Asks the user for a line, or for a secret without echo: from the server's standard input, or
 * on the terminal itself ({@code /dev/tty}, where {@code stty} turns echo off for the one line).
 * Its bytes, never the console's reader: that decodes by the locale, and in {@code LANG=C} turns
 * every non-ASCII character of a password into a replacement character. Lines are read one byte
 * at a time from the raw stream into one wiped buffer, so no other buffer ever holds a secret.
 */
final class Prompt {
    /** The controlling terminal, where a client command asks even when its output is captured ({@code $(passsafe get)}). */
    static final File TTY = new File("/dev/tty");
    private static final int MAX_LINE_BYTES = 1024;
    static final String NO_TERMINAL = "no terminal to ask for the passphrase and token on";

    private final InputStream in;
    private final OutputStream out;
    /** The terminal whose echo is turned off while a secret is typed; null for a pipe. */
    private final File tty;

    /** {@code tty}: the terminal {@code in} reads, or null for a pipe. */
    Prompt(InputStream in, OutputStream out, File tty) {
        this.in = in;
        this.out = out;
        this.tty = tty;
    }

    /**
     * The client commands' way to ask: without echo on {@code tty}; a malformed answer's reason
     * goes to {@code retry}. A process with no terminal (a notebook's, a daemon's) fails before
     * any prompt shows: a prompt nobody can answer invites typing into the wrong place, in clear.
     */
    static Locator.Asker asker(File tty, Consumer<String> retry) {
        return new Locator.Asker() {
            @Override
            public char[] secret(String label) {
                try (InputStream in = new FileInputStream(tty); OutputStream out = new FileOutputStream(tty)) {
                    return new Prompt(in, out, tty).secret(label);
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException("what was typed is not UTF-8");
                } catch (IOException e) {
                    throw new PasssafeException.NoTerminal(NO_TERMINAL);
                }
            }

            @Override
            public void retry(String why) {
                retry.accept(why);
            }
        };
    }

    boolean interactive() {
        return tty != null;
    }

    String source() {
        return tty != null ? "the terminal" : "standard input";
    }

    String line(String prompt) throws IOException {
        show(prompt);
        byte[] bytes = readLine(MAX_LINE_BYTES);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A secret, never echoed; null at end of input. The caller wipes it.
     *
     * @throws CharacterCodingException when what was read is not UTF-8
     */
    char[] secret(String prompt) throws IOException {
        byte[] bytes = null;
        try {
            // Echo goes off before the prompt shows: whoever types at the prompt is not seen.
            echo(false);
            try {
                show(prompt);
                bytes = readLine(Envelope.MAX_SECRET_BYTES);
            } finally {
                echo(true);
            }
            return bytes == null ? null : Utf8.decode(bytes);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** On a pipe each prompt ends its line, so a script sees whole lines; on a terminal the answer follows it. */
    private void show(String prompt) throws IOException {
        out.write((tty == null ? prompt + "\n" : prompt).getBytes(StandardCharsets.UTF_8));
        out.flush();
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

    private void echo(boolean on) throws IOException {
        if (tty == null) {
            return;
        }
        Process stty = new ProcessBuilder("stty", on ? "echo" : "-echo").redirectInput(tty)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            stty.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the terminal's echo");
        }
        if (on) {
            out.write('\n');
            out.flush();
        }
    }
}
