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
    /** Standard output was closed (by {@code head}, say) before passsafe finished writing. */
    static final class Closed extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        Closed(IOException cause) {
            super("cannot write to standard output", cause);
        }
    }

    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private OutputStream out;
    private final boolean tty;

    Terminal(OutputStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    /** Writes the first {@code length} bytes of {@code line} as they are: another process's output, relayed. */
    synchronized void relay(byte[] line, int length) {
        try {
            out.write(line, 0, length);
            out.flush();
        } catch (IOException e) {
            throw new Closed(e);
        }
    }

    /**
     * Sends everything from now on to {@code log} and closes what it wrote to before: a background
     * safe's standard output, a pipe its starter stops reading.
     */
    synchronized void moveTo(OutputStream log) {
        OutputStream before = out;
        out = log;
        try {
            before.close();
        } catch (IOException gone) {
            // the starter has gone: nothing to close politely
        }
    }

    /** A stream onto whatever this terminal writes to now, for the notes and errors of a background safe. */
    OutputStream stream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                printQuietly(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                printQuietly(Arrays.copyOfRange(bytes, offset, offset + length));
            }
        };
    }

    private synchronized void printQuietly(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException closed) {
            // nobody is reading any more
        }
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

    /** One line of the request log, stamped with the local time. Best effort: a closed terminal must not stop the safe from serving. */
    void log(String event) {
        printQuietly(LocalTime.now().format(CLOCK) + "  " + event + "\n");
    }

    synchronized void printQuietly(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException closed) {
            // nobody is reading any more
        }
    }

    /** A secret's exact bytes, then a newline if {@code newline}, in one write; the caller wipes {@code secret}. */
    synchronized void printBytes(byte[] secret, boolean newline) {
        byte[] line = Arrays.copyOf(secret, secret.length + (newline ? 1 : 0));
        if (newline) {
            line[secret.length] = '\n';
        }
        try {
            write(line);
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new Closed(e);
        }
    }
}
