package passsafe;

import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The server's standard output, written unbuffered: a {@code PrintStream} keeps what it printed
 * in its buffers, and the passphrase and token must not linger there once shown.
 */
final class Terminal {
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final OutputStream out;
    private final boolean tty;

    /** {@code tty}: whether {@code out} is a terminal rather than a pipe or file. */
    Terminal(OutputStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    boolean isTty() {
        return tty;
    }

    /** Whether this process's standard output is a terminal; Linux tells exactly, elsewhere the console guesses. */
    static boolean stdoutIsTerminal(Console console) {
        try {
            String target = Files.readSymbolicLink(Paths.get("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return console != null;
        }
    }

    synchronized void print(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void println(String line) {
        print(line + "\n");
    }

    /** Prints {@code indent}, the secret and a newline from one wiped buffer. */
    void printSecret(String indent, char[] secret) {
        printSecret(indent, secret, true);
    }

    /** Prints {@code indent} and the secret, and a newline if asked, from one wiped buffer. */
    synchronized void printSecret(String indent, char[] secret, boolean newline) {
        char[] line = new char[indent.length() + secret.length + (newline ? 1 : 0)];
        indent.getChars(0, indent.length(), line, 0);
        System.arraycopy(secret, 0, line, indent.length(), secret.length);
        if (newline) {
            line[line.length - 1] = '\n';
        }
        byte[] bytes = Utf8.encode(line);
        Arrays.fill(line, '\0');
        try {
            write(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** One line of the request log, stamped with the local time. */
    void log(String event) {
        println(LocalTime.now().format(CLOCK) + "  " + event);
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output", e);
        }
    }
}
