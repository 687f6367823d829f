package passsafe;

import java.io.Console;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which safe, and with which credentials: the one rule that {@link Client}, {@link Driver} and
 * every command follow.
 * <ul>
 * <li>The safe: the URL given; else {@code PASSSAFE_URL}; else the one safe of this user's that
 * answers, found by its private socket or session file (as ssh-agent's clients find theirs); else,
 * where credentials are given, whatever answers on the default port.</li>
 * <li>The credentials: the chosen safe's session file; else {@code PASSSAFE_PASSPHRASE} and
 * {@code PASSSAFE_TOKEN}; else the terminal, asked only then, and only once the safe is known to serve.</li>
 * </ul>
 * When no safe answers, it says why: none runs, or the last one ended, when and how.
 */
final class Locator {
    static final String PASSPHRASE = "PASSSAFE_PASSPHRASE";
    static final String TOKEN = "PASSSAFE_TOKEN";
    static final String URL = "PASSSAFE_URL";
    /** Set by passsafe.sh: the descriptor that holds the passphrase and the token, each ended by a NUL, moved out of the environment. */
    static final String CREDENTIALS_FD = "PASSSAFE_CREDENTIALS_FD";
    static final String PASSPHRASE_PROMPT = "Passphrase: ";
    static final String TOKEN_PROMPT = "Token: ";
    /** How many times a malformed answer on the terminal is asked for, the first included. */
    static final int TRIES = 3;
    private static final int MAX_CREDENTIALS_BYTES = 4096;
    /** How long a socket may take to answer before it counts as no running safe. */
    private static final Duration ASK = Duration.ofSeconds(3);

    interface Asker {
        /**
         * What was typed after {@code prompt}, not echoed; null at the end of input.
         *
         * @throws PasssafeException.NoTerminal when no one can be asked
         */
        char[] secret(String prompt);

        void retry(String why);

        /** Asks on {@link System#console()} without echo; where there is none (a notebook kernel, jshell before JDK 22), refuses before any prompt. */
        static Asker console() {
            Console console = System.console();
            return new Asker() {
                @Override
                public char[] secret(String prompt) {
                    if (console == null) {
                        throw new PasssafeException.NoTerminal("no console to ask for the passphrase and token on");
                    }
                    return console.readPassword("%s", prompt);
                }

                @Override
                public void retry(String why) {
                    System.err.println("passsafe: " + why);
                }
            };
        }
    }

    static final class Found {
        final LoopbackUrl url;
        final Protocol.Status status;
        /** The connection the status came through, kept alive for the request that follows. */
        final Transport transport;

        Found(LoopbackUrl url, Protocol.Status status, Transport transport) {
            this.url = url;
            this.status = status;
            this.transport = transport;
        }

        /** "http://localhost:8051 (open, 29:41 left)". */
        String describe() {
            return url + " (" + status.state.code() + (status.secondsLeft > 0 ? ", " + Durations.clock(Duration.ofSeconds(status.secondsLeft)) + " left" : "") + ")";
        }
    }

    private final Map<String, String> env;
    /** Null where no one can be asked: a notebook kernel, the JDBC driver, {@link Client#local()}. */
    private final Asker asker;
    private final int minIterations;

    Locator(Map<String, String> env, Asker asker, int minIterations) {
        this.env = env;
        this.asker = asker;
        this.minIterations = minIterations;
    }

    /**
     * The environment, with the passphrase and token that passsafe.sh moved to an inherited pipe
     * put back, in this process's memory only; the pipe is read once, and is empty afterwards.
     */
    static Map<String, String> withLauncherPipe(Map<String, String> env) {
        String fd = env.get(CREDENTIALS_FD);
        if (fd == null || !fd.matches("[0-9]{1,4}")) {
            return env;
        }
        Map<String, String> merged = new HashMap<>(env);
        merged.remove(CREDENTIALS_FD);
        byte[] bytes = new byte[MAX_CREDENTIALS_BYTES];
        try (InputStream pipe = new FileInputStream("/dev/fd/" + fd)) {
            int n = pipe.readNBytes(bytes, 0, bytes.length);
            String[] values = new String(bytes, 0, n, StandardCharsets.UTF_8).split("\0", -1);
            if (values.length > 0 && !values[0].isEmpty()) {
                merged.put(PASSPHRASE, values[0]);
            }
            if (values.length > 1 && !values[1].isEmpty()) {
                merged.put(TOKEN, values[1]);
            }
        } catch (IOException gone) {
            // Read already, or never there: the environment stands as it is.
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return merged;
    }

    /** Every safe of this user that answers, found by its socket or (a safe on JDK 11 to 15 has none) its session file, by port. */
    List<Found> running() {
        List<Found> running = probed();
        running.forEach(safe -> safe.transport.close());
        return running;
    }

    /** As {@link #running}, each with the connection its status came through still open. */
    private List<Found> probed() {
        Set<Integer> sessions = ports(PrivateDirectory.Kind.SESSION);
        Set<Integer> ports = new TreeSet<>(sessions);
        ports.addAll(ports(PrivateDirectory.Kind.SOCKET));
        List<Found> found = new ArrayList<>();
        for (int port : ports) {
            // A socket with no session file beside it is asked through that socket only: one that a
            // killed safe left must not send this user's programs to whatever listens on its port now.
            Found safe = answering(LoopbackUrl.localhost(port), sessions.contains(port));
            if (safe != null) {
                found.add(safe);
            }
        }
        return found;
    }

    private Set<Integer> ports(PrivateDirectory.Kind kind) {
        Set<Integer> ports = new TreeSet<>();
        for (Path file : PrivateDirectory.all(env, kind)) {
            ports.add(kind.port(file));
        }
        return ports;
    }

    private static Found answering(LoopbackUrl url, boolean tcpAllowed) {
        Transport transport = new Transport(url, ASK);
        transport.connector.tcpAllowed = tcpAllowed;
        try {
            return new Found(url, transport.status(), transport);
        } catch (RuntimeException notARunningSafe) {
            transport.close();
            return null;
        }
    }

    /**
     * The safe {@code given} names (null: none), or else the one the rule picks, with its status.
     *
     * @throws PasssafeException.SeveralSafes when several run and nothing says which
     * @throws PasssafeException when none answers: why, from the record the last one left, if any
     */
    Found safe(LoopbackUrl given) {
        Found safe = given != null ? at(given) : chosen();
        if (safe != null) {
            return safe.status != null ? safe : asked(safe);
        }
        if (asker != null || variable(PASSPHRASE) != null) {
            try {
                return asked(at(LoopbackUrl.parse(Protocol.DEFAULT_URL)));
            } catch (PasssafeException.NoServer none) {
                // what the last safe's record says is more use than that nothing answers
            }
        }
        PasssafeException ended = EndedNote.last(env);
        throw ended != null ? ended : new PasssafeException.NoSafe();
    }

    /**
     * The one safe of this user's that runs, with the connection its status came through, for
     * the requests that follow: one status, one connection. Null for none.
     *
     * @throws PasssafeException.SeveralSafes when several run
     */
    private Found onlyRunning() {
        List<Found> running = probed();
        if (running.size() == 1) {
            Found only = running.get(0);
            return new Found(only.url, only.status, only.transport.withDeadline(Transport.DEFAULT_DEADLINE));
        }
        List<String> names = new ArrayList<>();
        for (Found safe : running) {
            names.add(safe.describe());
            safe.transport.close();
        }
        if (!names.isEmpty()) {
            throw new PasssafeException.SeveralSafes(names);
        }
        return null;
    }

    /**
     * The safe {@code PASSSAFE_URL} names (not asked anything yet), else the one of this user's
     * that runs (with its status); null for none.
     *
     * @throws PasssafeException.SeveralSafes when several run
     */
    private Found chosen() {
        return variable(URL) != null ? at(LoopbackUrl.parse(variable(URL))) : onlyRunning();
    }

    /** The safe of credentials given in code: as {@link #safe} chooses it, else the default URL; not asked anything yet. */
    static Found forCredentials(Map<String, String> env) {
        Found chosen = new Locator(env, null, Kdf.MIN_ITERATIONS).chosen();
        return chosen != null ? chosen : at(LoopbackUrl.parse(Protocol.DEFAULT_URL));
    }

    /** The safe at {@code url}, not asked anything yet. */
    static Found at(LoopbackUrl url) {
        return new Found(url, null, new Transport(url, Transport.DEFAULT_DEADLINE));
    }

    /** {@code safe} with its status, asked through its own transport. */
    private static Found asked(Found safe) {
        try {
            return new Found(safe.url, safe.transport.status(), safe.transport);
        } catch (RuntimeException e) {
            safe.transport.close();
            throw e;
        }
    }

    /**
     * A client of the safe {@code given} names, or of the one the rule picks, that holds the
     * credentials the rule picks; {@code tokenOnly} for a stop, which needs no key.
     *
     * @throws PasssafeException for a safe that does not serve, or no credentials
     * @throws IllegalArgumentException naming the variable whose value is malformed
     */
    Client client(LoopbackUrl given, boolean tokenOnly) {
        // A malformed variable is said before anything is sent: a typo costs no round trip.
        for (String name : List.of(PASSPHRASE, TOKEN)) {
            if (variable(name) != null) {
                wipe(parsed(name, name.equals(PASSPHRASE)));
            }
        }
        Found safe = safe(given);
        try {
            PasssafeException refusal = safe.status.refusal();
            if (refusal != null) {
                throw refusal;
            }
            PasssafeException.NoSession unusable = null;
            try {
                Client client = fromSession(safe);
                if (client != null) {
                    return client;
                }
            } catch (PasssafeException.NoSession e) {
                unusable = e; // said when nothing else gives the credentials
            }
            return fromUser(safe, tokenOnly, unusable);
        } catch (RuntimeException e) {
            safe.transport.close();
            throw e;
        }
    }

    /** The client the safe's session file makes, or null when there is none; a killed safe's file is passed over. */
    private Client fromSession(Found safe) {
        try (SessionFile.Contents session = SessionFile.find(env, safe.url.port)) {
            if (session == null) {
                return null;
            }
            if (!session.session.equals(safe.status.session)) {
                throw new PasssafeException.NoSession(session.file, "a safe that has ended left it, not the one at " + safe.url + "; no token was sent");
            }
            return new Client(safe.transport, session.token, new Opener(session.key, session.salt, session.iterations, minIterations), null);
        }
    }

    private Client fromUser(Found safe, boolean tokenOnly, PasssafeException.NoSession unusable) {
        boolean askPassphrase = !tokenOnly && variable(PASSPHRASE) == null;
        boolean askToken = variable(TOKEN) == null;
        if ((askPassphrase || askToken) && (asker == null || unusable != null)) {
            throw unusable != null ? unusable : new PasssafeException.NoSession(safe.url.toString());
        }
        char[] passphrase = tokenOnly ? null : askPassphrase ? asked(PASSPHRASE_PROMPT, true) : parsed(PASSPHRASE, true);
        char[] token = null;
        try {
            token = askToken ? asked(TOKEN_PROMPT, false) : parsed(TOKEN, false);
            return new Client(safe.transport, new String(token), passphrase == null ? null : new Opener(passphrase.clone(), minIterations), safe.status);
        } finally {
            wipe(passphrase);
            wipe(token);
        }
    }

    private String variable(String name) {
        String value = env.get(name);
        return value == null || value.trim().isEmpty() ? null : value;
    }

    private char[] parsed(String variable, boolean passphrase) {
        char[] value = env.get(variable).toCharArray();
        try {
            return normalized(value, passphrase);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalArgumentException(variable + ": " + malformed.getMessage());
        } finally {
            wipe(value);
        }
    }

    private static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }

    private char[] asked(String prompt, boolean passphrase) {
        for (int attempt = 1; ; attempt++) {
            char[] typed = asker.secret(prompt);
            if (typed == null) {
                throw new PasssafeException.NoTerminal("the input ended before the " + (passphrase ? "passphrase" : "token"));
            }
            try {
                return normalized(typed, passphrase);
            } catch (IllegalArgumentException malformed) {
                if (attempt == TRIES) {
                    throw malformed;
                }
                asker.retry(malformed.getMessage() + "; type it again");
            } finally {
                wipe(typed);
            }
        }
    }

    /** The passphrase in its normalized spelling, or the token as six digits; {@code chars} is the caller's to wipe. */
    private static char[] normalized(char[] chars, boolean passphrase) {
        if (passphrase) {
            return Passphrase.parse(CharBuffer.wrap(chars));
        }
        byte[] digits = Token.parse(CharBuffer.wrap(chars));
        if (digits == null) {
            throw new IllegalArgumentException(Token.RULE);
        }
        return new String(digits, StandardCharsets.US_ASCII).toCharArray();
    }
}
