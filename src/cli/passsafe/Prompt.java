package passsafe;

import java.io.Console;
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
 * Asks the user for a line, or for a secret without echo: on the console when there is one;
 * otherwise line by line from a stream, the server's standard input or the terminal itself
 * ({@code /dev/tty}, where {@code stty} turns echo off for the one line). Lines are read one byte
 * at a time from the raw stream into one wiped buffer, so no other buffer ever holds a secret.
 */
final class Prompt {
    /** The controlling terminal, where a client asks when there is no console ({@code $(passsafe get)}, jshell). */
    static final File TTY = new File("/dev/tty");
    static final int MAX_SECRET_BYTES = 64 * 1024;
    private static final int MAX_LINE_BYTES = 1024;

    private final Console console;
    private final InputStream in;
    private final OutputStream out;
    /** The terminal whose echo is turned off while a secret is typed; null for a pipe. */
    private final File tty;
    /** What input is read from, for messages: "standard input", "the terminal". */
    private final String source;

    private Prompt(Console console, InputStream in, OutputStream out, File tty, String source) {
        this.console = console;
        this.in = in;
        this.out = out;
        this.tty = tty;
        this.source = source;
    }

    /** The server's prompt: the console, or else standard input with each prompt on its own line of {@code out}. */
    static Prompt standardInput(Console console, InputStream in, OutputStream out) {
        // On a terminal, its bytes, never the console's reader: that decodes by the locale, and in
        // LANG=C it turns every non-ASCII character of a password into a replacement character.
        return console != null ? new Prompt(null, in, out, TTY, "the terminal") : new Prompt(null, in, out, null, "standard input");
    }

    /** Why nobody can be asked: no console and no terminal at all (a notebook kernel, a daemon). */
    static final String NO_TERMINAL = "no console and no terminal to ask for the passphrase and token on";
    /** Why nobody can be asked: the terminal is there, but another program reads it key by key. */
    static final String RAW_TERMINAL = "the terminal is in raw mode, read key by key by another program"
            + " (as jshell on JDK 17 does), so what is typed would not reach passsafe";

    /**
     * Null when a secret can be asked for without echo: on a console, or on a terminal {@code tty}
     * (null: none) that can be opened and reads lines. Otherwise why not, before any prompt shows:
     * a prompt nobody can answer invites typing into the wrong place, in clear.
     */
    static String whyNot(Console console, File tty) {
        if (console != null) {
            return null;
        }
        if (tty == null || !tty.canRead() || !tty.canWrite()) {
            return NO_TERMINAL;
        }
        // Opening it is the test: a process with no controlling terminal cannot.
        try (InputStream probe = new FileInputStream(tty)) {
            return probe != null && readsLines(tty) ? null : RAW_TERMINAL;
        } catch (IOException noTerminal) {
            return NO_TERMINAL;
        }
    }

    /**
     * Whether the terminal is in canonical mode, reading a line at a time: in raw mode (an editor's,
     * jshell 17's) a read returns at once with nothing, and the program that set it takes the keys.
     */
    private static boolean readsLines(File tty) throws IOException {
        Process stty = new ProcessBuilder("stty", "-a").redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String settings = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        try {
            stty.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the terminal's settings");
        }
        // Where stty cannot say (none installed), the terminal is taken as it usually is: canonical.
        return !(" " + settings.replace('\n', ' ') + " ").contains(" -icanon ");
    }

    /**
     * The {@link Locator}'s way to ask: without echo on the console, or else on {@code tty} (null:
     * none); a malformed answer's reason goes to {@code retry}. Whether anyone can be asked is found once, before the first prompt shows: a prompt
     * nobody can answer invites typing into the wrong place, in clear.
     */
    static Locator.Asker asker(Console console, File tty, Consumer<String> retry) {
        return new Locator.Asker() {
            private String whyNot;
            private boolean checked;

            @Override
            public char[] secret(String label) {
                if (!checked) {
                    whyNot = whyNot(console, tty);
                    checked = true;
                }
                if (whyNot != null) {
                    throw new PasssafeException.NoTerminal(whyNot);
                }
                if (console != null) {
                    return console.readPassword("%s", label);
                }
                try (InputStream in = new FileInputStream(tty); OutputStream out = new FileOutputStream(tty)) {
                    return new Prompt(null, in, out, tty, "the terminal").secret(label);
                } catch (IOException e) {
                    throw new PasssafeException.NoTerminal("cannot read the terminal: " + e.getMessage());
                }
            }

            @Override
            public void retry(String why) {
                retry.accept(why);
            }
        };
    }

    /** Whether someone is there to be asked again. */
    boolean interactive() {
        return console != null || tty != null;
    }

    /** What input is read from, for messages: "standard input", "the terminal". */
    String source() {
        return source;
    }

    /** A line of plain input, or null at end of input. */
    String line(String prompt) throws IOException {
        if (console != null) {
            return console.readLine("%s", prompt);
        }
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
        if (console != null) {
            return console.readPassword("%s", prompt);
        }
        byte[] bytes = null;
        try {
            // Echo goes off before the prompt shows: whoever types at the prompt is not seen.
            echo(false);
            try {
                show(prompt);
                bytes = readLine(MAX_SECRET_BYTES);
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

    /** Turns the terminal's echo off or on; on a pipe there is nothing to turn. */
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
