package passsafe;

import java.io.Console;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where the command-line client gets the passphrase and token: the {@link Environment} when
 * {@code PASSSAFE_PASSPHRASE} and {@code PASSSAFE_TOKEN} are set, else the terminal, without echo.
 * Never the command line, which every user of the host can read in {@code /proc}.
 */
final class Credentials {
    static final File TTY = new File("/dev/tty");

    private final Environment env;
    private final Console console;
    private final File tty;

    /** {@code tty} is the terminal to ask on when there is no console, or null for none. */
    Credentials(Environment env, Console console, File tty) {
        this.env = env;
        this.console = console;
        this.tty = tty;
    }

    /** The passphrase, checked and normalized; the caller wipes it. */
    char[] passphrase(String url) throws Failure {
        String fromEnv = env.passphrase();
        char[] typed = fromEnv != null ? fromEnv.toCharArray() : askOrSession(Messages.PASSPHRASE_PROMPT, "passphrase", url);
        try {
            return Passphrase.parse(CharBuffer.wrap(typed));
        } catch (IllegalArgumentException e) {
            throw Messages.badPassphrase(e.getMessage(), fromEnv != null);
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    /** The token as six ASCII digits. */
    String token(String url) throws Failure {
        String fromEnv = env.token();
        char[] typed = fromEnv != null ? fromEnv.toCharArray() : askOrSession(Messages.TOKEN_PROMPT, "token", url);
        byte[] digits = Token.parse(CharBuffer.wrap(typed));
        Arrays.fill(typed, '\0');
        if (digits == null) {
            throw Messages.badToken(fromEnv != null);
        }
        return new String(digits, StandardCharsets.US_ASCII);
    }

    /** The server's URL: {@code --url}, else {@code --port}, else PASSSAFE_URL, else the default. */
    String url(String urlOption, int portOption) {
        if (urlOption != null) {
            return urlOption;
        }
        return portOption > 0 ? "http://localhost:" + portOption : env.url();
    }

    /**
     * Asks on the terminal when there is one; where there is none (a notebook kernel, a cron job),
     * takes what a session-mode safe at {@code url} left in this user's session file.
     */
    private char[] askOrSession(String label, String what, String url) throws Failure {
        if (console != null || ttyOpens()) {
            return ask(label, what);
        }
        try (SessionFile.Contents session = SessionFile.find(env.variables(), url)) {
            if (session == null) {
                throw Messages.noCredentials(what, url);
            }
            return what.equals("token") ? session.token.toCharArray() : session.passphrase.clone();
        } catch (IllegalStateException unusable) {
            throw Failure.of(unusable.getMessage(), null);
        }
    }

    /** Whether the controlling terminal can be opened: a process with none (a kernel, a daemon) cannot. */
    private boolean ttyOpens() {
        if (tty == null) {
            return false;
        }
        try (InputStream probe = new FileInputStream(tty)) {
            return probe != null;
        } catch (IOException noTerminal) {
            return false;
        }
    }

    /**
     * Asks without echo. {@code $(passsafe get)} captures standard output, so there is no
     * {@link Console}; then the terminal itself is asked.
     */
    private char[] ask(String label, String what) throws Failure {
        if (console != null) {
            return answered(Prompt.terminal(console, null, null, null).secret(label), what);
        }
        if (tty == null || !tty.canRead() || !tty.canWrite()) {
            throw Messages.noTerminal(what);
        }
        try (InputStream in = new FileInputStream(tty); OutputStream out = new FileOutputStream(tty)) {
            return answered(Prompt.terminal(null, in, out, tty).secret(label), what);
        } catch (IOException e) {
            throw Messages.cannotReadTerminal(e);
        }
    }

    private static char[] answered(char[] typed, String what) throws Failure {
        if (typed == null) {
            throw Messages.noTerminal(what);
        }
        return typed;
    }
}
