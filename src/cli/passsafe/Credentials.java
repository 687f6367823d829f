package passsafe;

import java.io.Console;
import java.io.File;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the command-line client gets the passphrase and token: the {@link Environment} when
 * {@code PASSSAFE_PASSPHRASE} and {@code PASSSAFE_TOKEN} are set, else the terminal, without echo,
 * else (a notebook kernel, a cron job: no terminal) the session file of a {@code --session} safe.
 * Never the command line, which every user of the host can read in {@code /proc}.
 */
final class Credentials {
    /** The two things a client needs, each with its words, its prompt and its variable. */
    private enum Kind {
        PASSPHRASE("passphrase", Text.PASSPHRASE_PROMPT, Environment.PASSPHRASE),
        TOKEN("token", Text.TOKEN_PROMPT, Environment.TOKEN);

        final String what;
        final String prompt;
        final String variable;

        Kind(String what, String prompt, String variable) {
            this.what = what;
            this.prompt = prompt;
            this.variable = variable;
        }
    }

    private final Environment env;
    private final Console console;
    private final File tty;
    /** Where a malformed answer on the terminal is said, before it is asked for again. */
    private final Consumer<String> retry;
    /** Whether the terminal can be asked, found once: finding it runs stty, and a command asks up to seven times. */
    private Boolean canAsk;

    /** {@code tty} is the terminal to ask on when there is no console, or null for none. */
    Credentials(Environment env, Console console, File tty, Consumer<String> retry) {
        this.env = env;
        this.console = console;
        this.tty = tty;
        this.retry = retry;
    }

    /** How many times a malformed answer on the terminal is asked for again, the first included. */
    static final int TRIES = 3;

    /**
     * Whether the passphrase will be typed on the terminal, so the caller can first check that a
     * safe answers: no one should type seven entries for a server that is not there.
     */
    boolean asks() {
        return env.passphrase() == null && canAsk();
    }

    /**
     * With no {@code PASSSAFE_PASSPHRASE} and no terminal to ask on: a client holding what the
     * session file of the safe at {@code url} gives, the safe's key and token, so no key
     * derivation is spent. Null when the passphrase is to come from the environment or the terminal.
     */
    Client sessionClient(LoopbackUrl url, int minIterations) throws Failure {
        if (env.passphrase() != null || canAsk()) {
            return null;
        }
        try (SessionFile.Contents session = SessionFile.live(env.variables(), url)) {
            if (session == null) {
                throw Text.noCredentials(Kind.PASSPHRASE.what, Kind.PASSPHRASE.variable, url.toString());
            }
            return Client.of(session, url, minIterations);
        } catch (IllegalStateException unusable) {
            throw Failure.of(unusable.getMessage(), null);
        }
    }

    /** The passphrase, checked and normalized; typed again, up to {@link #TRIES} times, when malformed. The caller wipes it. */
    char[] passphrase(LoopbackUrl url) throws Failure {
        String fromEnv = env.passphrase();
        boolean typing = fromEnv == null && canAsk();
        for (int attempt = 1; ; attempt++) {
            char[] typed = fromEnv != null ? fromEnv.toCharArray() : askOrSession(Kind.PASSPHRASE, url);
            try {
                return Passphrase.parse(CharBuffer.wrap(typed));
            } catch (IllegalArgumentException e) {
                if (!typing || attempt == TRIES) {
                    throw Text.badPassphrase(e.getMessage(), fromEnv != null);
                }
                retry.accept(Text.typeAgain(e.getMessage()));
            } finally {
                Arrays.fill(typed, '\0');
            }
        }
    }

    /** The token as six ASCII digits; typed again, up to {@link #TRIES} times, when malformed. */
    String token(LoopbackUrl url) throws Failure {
        String fromEnv = env.token();
        boolean typing = fromEnv == null && canAsk();
        for (int attempt = 1; ; attempt++) {
            char[] typed = fromEnv != null ? fromEnv.toCharArray() : askOrSession(Kind.TOKEN, url);
            byte[] digits = Token.parse(CharBuffer.wrap(typed));
            Arrays.fill(typed, '\0');
            if (digits != null) {
                return new String(digits, StandardCharsets.US_ASCII);
            }
            if (!typing || attempt == TRIES) {
                throw Text.badToken(fromEnv != null);
            }
            retry.accept(Text.typeAgain(Token.RULE));
        }
    }

    private boolean canAsk() {
        if (canAsk == null) {
            canAsk = Prompt.canAsk(console, tty);
        }
        return canAsk;
    }

    /** The environment's variables, where the user's private directories are found. */
    Map<String, String> variables() {
        return env.variables();
    }

    /**
     * The server's URL: {@code --url}, else {@code --port}, else PASSSAFE_URL, else the user's one
     * running safe, whatever its port, else the default.
     *
     * @throws Failure when several of the user's safes run, listing them
     */
    String url(String urlOption, int portOption) throws Failure {
        if (urlOption != null) {
            return urlOption;
        }
        if (portOption > 0) {
            return "http://localhost:" + portOption;
        }
        if (env.url() != null) {
            return env.url();
        }
        try {
            return Safes.chosen(env.variables()).toString();
        } catch (IllegalStateException several) {
            throw Failure.of(several.getMessage(), null);
        }
    }

    /**
     * Asks on the terminal when there is one; where there is none (a notebook kernel, a cron job),
     * takes what a session-mode safe at {@code url} left in this user's session file.
     */
    private char[] askOrSession(Kind kind, LoopbackUrl url) throws Failure {
        if (canAsk()) {
            char[] typed = Prompt.secretOnTerminal(console, tty, kind.prompt);
            if (typed == null) {
                throw Text.noTerminal(kind.what);
            }
            return typed;
        }
        try (SessionFile.Contents session = SessionFile.live(env.variables(), url)) {
            if (session == null) {
                throw Text.noCredentials(kind.what, kind.variable, url.toString());
            }
            if (kind == Kind.PASSPHRASE) {
                // The file holds the key, not the passphrase: sessionClient is the way to it.
                throw Text.noCredentials(kind.what, kind.variable, url.toString());
            }
            return session.token.toCharArray();
        } catch (IllegalStateException unusable) {
            throw Failure.of(unusable.getMessage(), null);
        }
    }
}
