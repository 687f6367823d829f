package passsafe;

import java.io.Console;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Where the command-line client gets the passphrase and token: the environment when
 * {@code PASSSAFE_PASSPHRASE} and {@code PASSSAFE_TOKEN} are set, else the terminal, without echo.
 * Never the command line, which every user of the host can read in {@code /proc}.
 */
final class Credentials {
    static final String PASSPHRASE = "PASSSAFE_PASSPHRASE";
    static final String TOKEN = "PASSSAFE_TOKEN";
    static final String URL = "PASSSAFE_URL";
    static final File TTY = new File("/dev/tty");
    private static final int MAX_LINE = 1024;

    private final Map<String, String> env;
    private final Console console;
    private final File tty;

    /** {@code tty} is the terminal to ask on when there is no console, or null for none. */
    Credentials(Map<String, String> env, Console console, File tty) {
        this.env = env;
        this.console = console;
        this.tty = tty;
    }

    /** The passphrase, normalized; the caller wipes it. */
    char[] passphrase() throws Failure {
        String fromEnv = env.get(PASSPHRASE);
        char[] typed = fromEnv != null ? fromEnv.toCharArray() : ask("Passphrase: ", PASSPHRASE);
        char[] passphrase = Passphrase.normalize(CharBuffer.wrap(typed));
        Arrays.fill(typed, '\0');
        if (passphrase.length == 0) {
            throw Failure.input("the passphrase is empty", "give the six words the server printed");
        }
        return passphrase;
    }

    /** The token as six ASCII digits. */
    String token() throws Failure {
        String fromEnv = env.get(TOKEN);
        char[] typed = fromEnv != null ? fromEnv.toCharArray() : ask("Token: ", TOKEN);
        byte[] digits = Token.parse(CharBuffer.wrap(typed));
        Arrays.fill(typed, '\0');
        if (digits == null) {
            throw Failure.input((fromEnv != null ? TOKEN + " is" : "that is") + " not a 6-digit token", "give the token the server printed, such as 936 265");
        }
        return new String(digits, StandardCharsets.US_ASCII);
    }

    /**
     * Asks on the terminal without echo. {@code $(passsafe get)} captures standard output, so
     * there is no {@link Console}; then the terminal is opened directly, with echo turned off by
     * {@code stty} for the one line read.
     */
    private char[] ask(String prompt, String variable) throws Failure {
        try {
            if (console != null) {
                char[] line = console.readPassword("%s", prompt);
                if (line != null) {
                    return line;
                }
            } else if (tty != null && tty.canRead() && tty.canWrite()) {
                return askTty(tty, prompt);
            }
        } catch (IOException e) {
            throw Failure.of("cannot read the terminal: " + e.getMessage(), "set " + PASSPHRASE + " and " + TOKEN + " instead");
        }
        throw Failure.input("no " + (variable.equals(TOKEN) ? "token" : "passphrase") + " given and no terminal to ask on",
                "set " + PASSPHRASE + " and " + TOKEN + " in the environment, or run the command in a terminal");
    }

    private static char[] askTty(File tty, String prompt) throws IOException, Failure {
        try (InputStream in = new FileInputStream(tty); OutputStream out = new FileOutputStream(tty)) {
            out.write(prompt.getBytes(StandardCharsets.UTF_8));
            stty(tty, "-echo");
            byte[] line = new byte[MAX_LINE];
            int n = 0;
            try {
                for (int b = in.read(); b != -1 && b != '\n' && n < MAX_LINE; b = in.read()) {
                    line[n++] = (byte) b;
                }
                byte[] typed = Arrays.copyOf(line, n > 0 && line[n - 1] == '\r' ? n - 1 : n);
                try {
                    return Utf8.decode(typed);
                } finally {
                    Arrays.fill(typed, (byte) 0);
                }
            } catch (CharacterCodingException e) {
                throw Failure.input("what was typed is not valid UTF-8", "type the six words as the server printed them");
            } finally {
                Arrays.fill(line, (byte) 0);
                stty(tty, "echo");
                out.write('\n');
            }
        }
    }

    private static void stty(File tty, String mode) throws IOException {
        Process stty = new ProcessBuilder("stty", mode).redirectInput(tty)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            stty.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the terminal's echo");
        }
    }

    /** The server's URL: {@code --url}, else {@code --port}, else PASSSAFE_URL, else the default. */
    String url(String urlOption, int portOption) {
        if (urlOption != null) {
            return urlOption;
        }
        if (portOption > 0) {
            return "http://localhost:" + portOption;
        }
        return env.getOrDefault(URL, Protocol.DEFAULT_URL);
    }
}
