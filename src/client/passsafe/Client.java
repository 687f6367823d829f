package passsafe;

import java.io.Console;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

/**
 * Fetches the secret from a passsafe server and decrypts it here, with the passphrase and token
 * the server printed:
 * <pre>{@code
 * var client = new passsafe.Client("orbit copper ribbon flute wealth slice", 936265);
 * try (var db = DriverManager.getConnection(url, "analyst", client.password())) { ... }
 * }</pre>
 * Every call fetches the envelope again, so the safe's expiry and lock apply to every use. The
 * key derived from the passphrase (about a third of a second of work) is kept in this object once
 * derived, on the first call, and the passphrase is then wiped, so later calls cost one local
 * round trip; {@link #close()} wipes the key. The safe checks the key before it counts a use, so
 * a wrong passphrase spends none. A client is safe to share between threads.
 * Failures are {@link PasssafeException}s whose messages say what to do.
 */
public final class Client implements AutoCloseable {
    /** What every call on a closed client says, before anything is sent. */
    static final String CLOSED = "this passsafe.Client is closed; create a new one";
    private static final String PASSPHRASE_PROMPT = "Passphrase: ";
    private static final String TOKEN_PROMPT = "Token: ";
    private static final String USE_LOCAL = "; use passsafe.Client.local() with a safe started with passsafe --session";

    private final String token;
    private final Transport transport;
    private final Opener opener;
    private volatile boolean closed;

    /**
     * A client of the server at {@code http://localhost:8051}:
     * {@code new passsafe.Client("orbit copper ribbon flute wealth slice", 936265)}.
     *
     * @param passphrase the six words the server printed; extra spaces, tabs, newlines or capitals are ignored
     * @param token the 6-digit token the server printed, such as {@code 936265}
     * @throws IllegalArgumentException if the passphrase is not six words from passsafe's list or
     *     the token is not 6 digits; the message never repeats them
     */
    public Client(String passphrase, int token) {
        this(passphrase, Integer.toString(token), Protocol.DEFAULT_URL);
    }

    /**
     * A client of the server at {@code http://localhost:8051}:
     * {@code new passsafe.Client(passphrase, "936 265")}.
     *
     * @param passphrase the six words the server printed; extra spaces, tabs, newlines or capitals are ignored
     * @param token the token as printed, with or without its space: {@code "936 265"}
     * @throws IllegalArgumentException if the passphrase is not six words from passsafe's list or
     *     the token is not 6 digits
     */
    public Client(String passphrase, String token) {
        this(passphrase, token, Protocol.DEFAULT_URL);
    }

    /**
     * A client of the server at {@code url}:
     * {@code new passsafe.Client(passphrase, 936265, "http://localhost:8052")}.
     *
     * @param passphrase the six words the server printed
     * @param token the 6-digit token the server printed
     * @param url the server, such as {@code http://localhost:8052}
     * @throws IllegalArgumentException if an argument is malformed, or the url is not
     *     {@code http://localhost:PORT}, {@code http://127.0.0.1:PORT} or {@code http://[::1]:PORT}
     */
    public Client(String passphrase, int token, String url) {
        this(passphrase, Integer.toString(token), url);
    }

    /**
     * A client of the server at {@code url}:
     * {@code new passsafe.Client(passphrase, "936 265", "http://localhost:8052")}.
     *
     * @param passphrase the six words the server printed
     * @param token the token as printed, with or without its space
     * @param url the server, such as {@code http://localhost:8052}
     * @throws IllegalArgumentException if an argument is malformed, or the url is not
     *     {@code http://localhost:PORT}, {@code http://127.0.0.1:PORT} or {@code http://[::1]:PORT}
     */
    public Client(String passphrase, String token, String url) {
        this(passphrase, token, url, Kdf.MIN_ITERATIONS);
    }

    /** {@code minIterations} is a seam for tests that seal with a cheaper KDF. */
    Client(String passphrase, String token, String url, int minIterations) {
        this(passphrase == null ? null : CharBuffer.wrap(passphrase), token, url, minIterations);
    }

    /** For the command-line client, whose passphrase is never a String; the caller wipes it. */
    Client(char[] passphrase, String token, String url, int minIterations) {
        this(passphrase == null ? null : CharBuffer.wrap(passphrase), token, url, minIterations);
    }

    private Client(CharSequence passphrase, String token, String url, int minIterations) {
        if (passphrase == null || token == null || url == null) {
            throw new IllegalArgumentException("the passphrase, token and url must not be null");
        }
        this.token = checked(token);
        this.transport = new Transport(LoopbackUrl.parse(url));
        this.opener = new Opener(Passphrase.parse(passphrase), minIterations);
    }

    /** A client of the session-mode safe at {@code url}, with the key its file holds: no key derivation. */
    private Client(SessionFile.Contents session, LoopbackUrl url, int minIterations) {
        this.token = checked(session.token);
        this.transport = new Transport(url);
        this.opener = new Opener(session.key, session.salt, session.iterations, minIterations);
    }

    /** The session's client; the caller closes {@code session}. */
    static Client of(SessionFile.Contents session, LoopbackUrl url, int minIterations) {
        return new Client(session, url, minIterations);
    }

    private static String checked(String token) {
        byte[] digits = Token.parse(token);
        if (digits == null) {
            throw new IllegalArgumentException(Token.RULE);
        }
        return new String(digits, StandardCharsets.US_ASCII);
    }

    /**
     * A client built from the environment: {@code PASSSAFE_PASSPHRASE}, {@code PASSSAFE_TOKEN}
     * and, optionally, {@code PASSSAFE_URL}, as {@code passsafe get} reads them. In a notebook:
     * <pre>{@code
     * var client = passsafe.Client.fromEnvironment();
     * }</pre>
     *
     * @return a client of the safe those variables name
     * @throws IllegalStateException naming the variable that is not set
     * @throws IllegalArgumentException if a variable's value is malformed
     */
    public static Client fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static Client fromEnvironment(Map<String, String> variables) {
        Environment env = new Environment(variables);
        String passphrase = required(env.passphrase(), Environment.PASSPHRASE, "the six words the server printed");
        String token = required(env.token(), Environment.TOKEN, "the 6-digit token the server printed");
        return new Client(passphrase, token, env.url() != null ? env.url() : Protocol.DEFAULT_URL);
    }

    /**
     * A client of your session-mode safe ({@code passsafe --session}), with no credential in your
     * code: the passphrase and token come from the session file only your user can read. The safe
     * is the one of yours that runs, found through its private socket whatever its port ({@code
     * passsafe list} shows them), else {@code http://localhost:8051}. In a notebook, the same line
     * for every safe:
     * <pre>{@code
     * var client = passsafe.Client.local();
     * }</pre>
     *
     * @return a client holding the session's passphrase and token
     * @throws IllegalStateException when several of your safes run (the message lists them: pick
     *     one with {@link #local(String)}), when no session file is there for the safe, or it is not yours alone
     */
    public static Client local() {
        return local(System.getenv(), Kdf.MIN_ITERATIONS);
    }

    /** {@code env} and {@code minIterations} are seams for tests. */
    static Client local(Map<String, String> env, int minIterations) {
        return local(Safes.chosen(env).toString(), env, minIterations);
    }

    /**
     * A client of the session-mode safe at {@code url}: {@code passsafe.Client.local("http://localhost:8052")}.
     *
     * @param url the session-mode safe, such as {@code http://localhost:8052}
     * @return a client holding the session's passphrase and token
     * @throws IllegalStateException when no session file is there for that URL, or it is not yours alone
     * @throws IllegalArgumentException if the url is not a loopback one
     */
    public static Client local(String url) {
        return local(url, System.getenv(), Kdf.MIN_ITERATIONS);
    }

    /** {@code env} and {@code minIterations} are seams for tests. */
    static Client local(String url, Map<String, String> env, int minIterations) {
        LoopbackUrl server = LoopbackUrl.parse(url);
        try (SessionFile.Contents session = SessionFile.live(env, server)) {
            if (session == null) {
                throw new IllegalStateException("no passsafe session for " + server
                        + ": start the safe with passsafe --session, or pass the passphrase and token");
            }
            return of(session, server, minIterations);
        }
    }

    /**
     * A client of your one running safe (found as {@link #local()} finds it; else {@code
     * http://localhost:8051}) that asks for the passphrase and token, without echo, on the console
     * or, where there is none ({@code $(...)}), on the terminal itself: {@code var client =
     * passsafe.Client.ask();}
     *
     * @return a client holding what was typed
     * @throws IllegalStateException where there is no terminal at all (a notebook kernel: use
     *     {@link #local()}), or what was typed is not a passphrase or a token; the message says which
     */
    public static Client ask() {
        return ask(Safes.chosen(System.getenv()).toString());
    }

    /**
     * As {@link #ask()}, for the safe at {@code url}.
     *
     * @param url the safe, such as {@code http://localhost:8052}
     * @return a client holding what was typed
     * @throws IllegalStateException where there is no terminal at all, or what was typed cannot be used
     * @throws IllegalArgumentException if the url is malformed
     */
    public static Client ask(String url) {
        String server = LoopbackUrl.parse(url).toString();
        Console console = System.console();
        // Checked before any prompt shows: a prompt nobody can answer invites typing into the wrong place.
        String whyNot = Prompt.whyNot(console, Prompt.TTY);
        if (whyNot != null) {
            throw new IllegalStateException(whyNot + USE_LOCAL);
        }
        char[] typed = null;
        char[] token = null;
        try {
            typed = answered(Prompt.secretOnTerminal(console, Prompt.TTY, PASSPHRASE_PROMPT));
            char[] passphrase = Passphrase.parse(CharBuffer.wrap(typed));
            try {
                token = answered(Prompt.secretOnTerminal(console, Prompt.TTY, TOKEN_PROMPT));
                return new Client(passphrase, CharBuffer.wrap(token).toString(), server, Kdf.MIN_ITERATIONS);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        } catch (Failure failure) {
            throw new IllegalStateException(failure.getMessage());
        } catch (IllegalArgumentException malformed) {
            throw new IllegalStateException(malformed.getMessage());
        } finally {
            wipe(typed);
            wipe(token);
        }
    }

    private static char[] answered(char[] typed) {
        if (typed == null) {
            throw new IllegalStateException(Prompt.NO_TERMINAL + USE_LOCAL);
        }
        return typed;
    }

    private static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }

    private static String required(String value, String name, String what) {
        if (value == null) {
            throw new IllegalStateException(name + " is not set: export " + what + " as " + name + ", or pass it to new passsafe.Client(...)");
        }
        return value;
    }

    /**
     * Sets the longest a call may take, connecting and answering included: 10 seconds unless set.
     * A server that answers slowly, a byte at a time, cannot stretch it:
     * {@code client.setDeadline(java.time.Duration.ofSeconds(3))}.
     *
     * @param deadline the longest one call may take
     * @throws IllegalArgumentException unless the deadline is positive
     */
    public void setDeadline(java.time.Duration deadline) {
        transport.deadline(deadline);
    }

    /**
     * Opens a JDBC connection with the secret as the password, passed in the connection's
     * properties so your code never holds it:
     * <pre>{@code
     * try (var db = client.connect("jdbc:postgresql://db.example/sales", "analyst")) {
     *     db.createStatement().executeQuery("select 1");
     * }
     * }</pre>
     * Errors from the driver pass through as they are, except that a message containing the
     * secret has it replaced by {@code [REDACTED]}.
     *
     * @param jdbcUrl the JDBC URL, with no password in it
     * @param user the database user
     * @return the open connection; close it when done
     * @throws SQLException from {@link DriverManager#getConnection(String, Properties)}
     * @throws PasssafeException if the safe refuses
     */
    public Connection connect(String jdbcUrl, String user) throws SQLException {
        return Jdbc.connect(jdbcUrl, user, password());
    }

    /**
     * Returns the secret as a {@link Secret}, which shows as {@code [REDACTED]} and wipes itself on
     * {@code close()}:
     * <pre>{@code
     * try (var secret = client.secret()) {
     *     secret.use(chars -> dataSource.setPassword(new String(chars)));
     * }
     * }</pre>
     *
     * @return the secret; close it when done
     * @throws PasssafeException if the server refuses or the passphrase is wrong
     */
    public Secret secret() {
        return new Secret(passwordChars());
    }

    /**
     * Returns the secret stored under {@code name} as a {@link Secret}: {@code client.secret("api")}.
     *
     * @param name the secret's name, as given to {@code --secret}
     * @return the secret; close it when done
     * @throws PasssafeException.NoSuchSecret if the safe holds no such name
     */
    public Secret secret(String name) {
        return new Secret(passwordChars(name));
    }

    /**
     * Returns the secret. Prefer {@link #secret()} or {@link #passwordChars()} where the consumer
     * accepts a {@code char[]}: a {@code String} cannot be wiped.
     * <pre>{@code
     * DriverManager.getConnection(url, "analyst", client.password());
     * }</pre>
     *
     * @return the secret
     * @throws PasssafeException if the server refuses or the passphrase is wrong
     */
    public String password() {
        return password(Names.DEFAULT);
    }

    /**
     * Returns the secret as a fresh array; wipe it with {@code Arrays.fill(chars, '\0')} once used.
     * <pre>{@code
     * char[] secret = client.passwordChars();
     * try { keyStore.load(in, secret); } finally { Arrays.fill(secret, '\0'); }
     * }</pre>
     *
     * @return a fresh copy of the secret, yours to wipe
     * @throws PasssafeException if the server refuses or the passphrase is wrong
     */
    public char[] passwordChars() {
        return passwordChars(Names.DEFAULT);
    }

    /**
     * Returns the secret stored under {@code name} (a safe started with {@code --secret NAME}):
     * {@code client.password("api")}.
     * Prefer {@link #secret(String)} or {@link #passwordChars(String)}: a {@code String} cannot be wiped.
     *
     * @param name the secret's name, as given to {@code --secret}
     * @return the secret
     * @throws PasssafeException.NoSuchSecret if the safe holds no such name (the message lists those it holds)
     * @throws IllegalArgumentException if {@code name} is not a valid secret name
     */
    public String password(String name) {
        char[] chars = passwordChars(name);
        try {
            return new String(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Returns the secret stored under {@code name} as a fresh array that you wipe:
     * {@code client.passwordChars("api")}.
     *
     * @param name the secret's name, as given to {@code --secret}
     * @return a fresh copy of the secret, yours to wipe
     * @throws PasssafeException.NoSuchSecret if the safe holds no such name
     * @throws IllegalArgumentException if {@code name} is not a valid secret name
     * @throws IllegalStateException if this client is closed; nothing is sent then
     */
    public char[] passwordChars(String name) {
        Names.check(name);
        if (closed) {
            throw new IllegalStateException(CLOSED);
        }
        byte[] proof = opener.keyCheck(this::status);
        byte[] envelope;
        try {
            envelope = transport.send("POST", Protocol.secretPath(name), token, KeyCheck.hex(proof)).ok();
        } finally {
            Arrays.fill(proof, (byte) 0);
        }
        try {
            return opener.open(envelope, name);
        } finally {
            Arrays.fill(envelope, (byte) 0);
        }
    }

    /** The safe's status: its key derivation's salt and iterations, for the first key check. */
    private Protocol.Status status() {
        return Protocol.Status.parse(transport.send("GET", Protocol.Endpoint.STATUS.path, null).ok());
    }

    /**
     * Wipes the key and passphrase this client holds and closes its connections; later calls throw
     * {@link IllegalStateException} without sending anything. Use try-with-resources where a client
     * is needed only briefly:
     * <pre>{@code
     * try (var client = new passsafe.Client(passphrase, token)) { connect(client.password()); }
     * }</pre>
     * If the client decrypted anything, this also asks the JVM for a full garbage collection: the
     * JDK's AES code keeps its own copies of the key inside each cipher, which no one can wipe, and
     * only a collection takes them out of the heap. That costs the caller's JVM a pause: about
     * 30 ms in a JVM that holds little else, about 0.75 s with 2 GB of live small objects in a 4 GB
     * G1 heap, on a 2-core machine ({@code make bench}, the two "close() after a decryption" rows).
     * A program with a large heap that needs the secret often should keep one client open for as
     * long as it needs it, rather than close one per use.
     */
    @Override
    public void close() {
        closeKeepingGarbage();
        // The JDK's AES code keeps its own copies of the key inside each cipher it made; those
        // ciphers are garbage now, and a collection takes them, and the copies, out of the heap.
        if (opener.keyedCiphers()) {
            System.gc();
        }
    }

    /** As {@link #close()}, without the collection: for the JDBC driver, whose password becomes a String anyway. */
    void closeKeepingGarbage() {
        closed = true;
        transport.close();
        opener.close();
    }

    /** The benchmark's seam: this client keeps to TCP even where the private socket exists. */
    Client tcpOnly() {
        transport.connector.socketAllowed = false;
        return this;
    }

    /** Shows where the client connects; never the passphrase or token. */
    @Override
    public String toString() {
        return "passsafe.Client[" + transport.url + "]";
    }
}
