package passsafe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

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
    static final String CLOSED = "this passsafe.Client is closed; create a new one";

    private final String token;
    private final Transport transport;
    /** Null for a client that only stops its safe, which needs the token and no key. */
    private final Opener opener;
    /** The status fetched when the safe was chosen: its salt serves the first key derivation, once. */
    private volatile Protocol.Status known;
    private volatile boolean closed;

    /**
     * A client of your safe: {@code new passsafe.Client("orbit copper ribbon flute wealth slice", 936265)}.
     * The safe is the one {@code PASSSAFE_URL} names, else the one of yours that runs (found
     * through its private socket, whatever its port), else {@code http://localhost:8051}.
     *
     * @param passphrase the six words the server printed; extra spaces, tabs, newlines or capitals are ignored
     * @param token the 6-digit token the server printed, such as {@code 936265}
     * @throws IllegalArgumentException if the passphrase is not six words from passsafe's list or
     *     the token is not 6 digits; the message never repeats them
     * @throws PasssafeException.SeveralSafes when several of your safes run: use {@link #at}
     */
    public Client(String passphrase, int token) {
        this(passphrase, Integer.toString(token));
    }

    /**
     * As {@link #Client(String, int)}, with the token as printed: {@code new passsafe.Client(passphrase, "936 265")}.
     *
     * @param passphrase the six words the server printed; extra spaces, tabs, newlines or capitals are ignored
     * @param token the token as printed, with or without its space
     * @throws IllegalArgumentException if the passphrase is not six words from passsafe's list or
     *     the token is not 6 digits
     * @throws PasssafeException.SeveralSafes when several of your safes run: use {@link #at}
     */
    public Client(String passphrase, String token) {
        this(checkedToken(token), checked(passphrase), Kdf.MIN_ITERATIONS, Locator.forCredentials(System.getenv()));
    }

    /** {@code minIterations} is a seam for tests that seal with a cheaper KDF. */
    Client(String passphrase, String token, String url, int minIterations) {
        this(checkedToken(token), checked(passphrase), minIterations, Locator.at(LoopbackUrl.parse(checked(url))));
    }

    /** The safe as found, with its status (null: not asked yet), which serves the first key derivation. */
    private Client(String token, String passphrase, int minIterations, Locator.Found safe) {
        this(safe.transport, token, opener(passphrase, minIterations, safe.transport), safe.status);
    }

    /** Parsed once the safe is found, so no parsed passphrase is left unwiped by a failure to find it. */
    private static Opener opener(String passphrase, int minIterations, Transport transport) {
        try {
            return new Opener(Passphrase.parse(passphrase), minIterations);
        } catch (IllegalArgumentException malformed) {
            transport.close();
            throw malformed;
        }
    }

    private static String checked(String argument) {
        if (argument == null) {
            throw new IllegalArgumentException("the passphrase, token and url must not be null");
        }
        return argument;
    }

    private static String checkedToken(String token) {
        byte[] digits = Token.parse(checked(token));
        if (digits == null) {
            throw new IllegalArgumentException(Token.RULE);
        }
        return new String(digits, StandardCharsets.US_ASCII);
    }

    /** The {@link Locator}'s client: {@code opener} null for one that only stops its safe. */
    Client(Transport transport, String token, Opener opener, Protocol.Status known) {
        this.transport = transport;
        this.token = token;
        this.opener = opener;
        this.known = known;
    }

    /**
     * A client of the safe at {@code url}, for a safe you name rather than the one found:
     * {@code passsafe.Client.at("http://localhost:8052", passphrase, "936 265")}.
     *
     * @param url the safe, such as {@code http://localhost:8052}
     * @param passphrase the six words the server printed
     * @param token the token as printed
     * @return the client
     * @throws IllegalArgumentException if an argument is malformed, or the url is not
     *     {@code http://localhost:PORT}, {@code http://127.0.0.1:PORT} or {@code http://[::1]:PORT}
     */
    public static Client at(String url, String passphrase, String token) {
        return new Client(passphrase, token, url, Kdf.MIN_ITERATIONS);
    }

    /**
     * A client of your safe with no credential in your code, as a notebook needs: the passphrase
     * and token come from the session file of a safe started with {@code passsafe --session}, which
     * only your user can read, else from {@code PASSSAFE_PASSPHRASE} and {@code PASSSAFE_TOKEN}.
     * The safe is the one {@code PASSSAFE_URL} names, else the one of yours that runs:
     * <pre>{@code
     * var client = passsafe.Client.local();
     * }</pre>
     *
     * @return a client holding the session's key and token
     * @throws PasssafeException.NoSafe when no safe of yours runs, or another subtype saying how
     *     the last one ended; {@link PasssafeException.SeveralSafes} when several run (pick one
     *     with {@link #local(String)}); {@link PasssafeException.NoSession} when nothing gives the credentials
     */
    public static Client local() {
        return new Locator(Locator.withLauncherPipe(System.getenv()), null, Kdf.MIN_ITERATIONS).client(null, false);
    }

    /**
     * As {@link #local()}, for the safe at {@code url}: {@code passsafe.Client.local("http://localhost:8052")}.
     *
     * @param url the safe, such as {@code http://localhost:8052}
     * @return a client holding the session's key and token
     * @throws PasssafeException.NoSession when nothing gives the credentials for that safe
     * @throws IllegalArgumentException if the url is not a loopback one
     */
    public static Client local(String url) {
        return new Locator(Locator.withLauncherPipe(System.getenv()), null, Kdf.MIN_ITERATIONS).client(LoopbackUrl.parse(url), false);
    }

    /**
     * As {@link #local()}, but where neither a session file nor the variables give the
     * credentials, asks for them without echo on the console: {@code var client = passsafe.Client.ask();}
     *
     * @return a client holding what was typed
     * @throws PasssafeException.NoTerminal where there is no console to ask on (a notebook kernel,
     *     jshell before JDK 22: use {@link #local()}), or the input ended
     * @throws IllegalArgumentException when what was typed three times is not a passphrase or a token
     */
    public static Client ask() {
        return new Locator(Locator.withLauncherPipe(System.getenv()), Locator.Asker.console(), Kdf.MIN_ITERATIONS).client(null, false);
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
        return secret(Names.DEFAULT);
    }

    /**
     * Returns the secret stored under {@code name} as a {@link Secret}: {@code client.secret("api")}.
     *
     * @param name the secret's name, as given to {@code --secret}
     * @return the secret; close it when done
     * @throws PasssafeException.NoSuchSecret if the safe holds no such name
     */
    public Secret secret(String name) {
        return new Secret(name, fetch(name, false).bytes);
    }

    /**
     * Returns the secret. Prefer {@link #secret()} where the consumer accepts a {@code char[]}: a
     * {@code String} cannot be wiped.
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
     * Returns the secret stored under {@code name} (a safe started with {@code --secret NAME}):
     * {@code client.password("api")}.
     * Prefer {@link #secret(String)}: a {@code String} cannot be wiped.
     *
     * @param name the secret's name, as given to {@code --secret}
     * @return the secret
     * @throws PasssafeException.NoSuchSecret if the safe holds no such name (the message lists those it holds)
     * @throws IllegalArgumentException if {@code name} is not a valid secret name
     */
    public String password(String name) {
        char[] chars = fetch(name, false).chars(name);
        try {
            return new String(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Replaces the secret {@code name} in the running safe with {@code secret}, sealed here under
     * the safe's key, so the safe never sees it; the safe keeps its duration, limits, passphrase
     * and token, and every later fetch gets the new secret. For a program that rotates a password
     * itself, after the database has the new one:
     * <pre>{@code
     * client.replace("password", newPassword);
     * }</pre>
     *
     * @param name the secret's name, {@code password} for a safe's one secret
     * @param secret the new value, which the caller wipes
     * @throws PasssafeException.NoSuchSecret if the safe holds no such name; the others as {@link #password()}
     * @throws IllegalArgumentException if {@code name} is not a valid secret name, or {@code secret} is not valid text or is over 64 KiB
     */
    public void replace(String name, char[] secret) {
        replace(name, Utf8.encode(secret));
    }

    /** As {@link #replace(String, char[])}, with the secret's bytes, which this wipes: a key, a file. */
    void replace(String name, byte[] plaintext) {
        Names.check(name);
        if (plaintext.length > Envelope.MAX_SECRET_BYTES) {
            Arrays.fill(plaintext, (byte) 0);
            throw new IllegalArgumentException("the secret has " + plaintext.length + " bytes; passsafe keeps at most " + Envelope.MAX_SECRET_BYTES);
        }
        byte[] proof = null;
        Envelope sealed = null;
        byte[] body = null;
        try {
            proof = keyCheck();
            sealed = opener.seal(name, plaintext);
            body = sealed.encode();
            transport.send(Protocol.Endpoint.REPLACE.path(name), token, KeyCheck.hex(proof), Map.of(), body).ok();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
            wipe(proof, body);
            if (sealed != null) {
                sealed.wipe();
            }
        }
    }

    /**
     * The secret {@code name}; a caller that {@code reports} whether it worked, through
     * {@link #accept} or {@link #reject}, may get it on trial, or wait for another's trial first.
     */
    Fetched fetch(String name, boolean reports) {
        Names.check(name);
        byte[] proof = keyCheck();
        Response response;
        try {
            Map<String, String> trial = reports ? Map.of(Protocol.TRIAL_HEADER, "1") : Map.of();
            response = transport.send(Protocol.secretPath(name), token, KeyCheck.hex(proof), trial, new byte[0]);
        } finally {
            wipe(proof, null);
        }
        byte[] envelope = response.ok();
        try {
            String version = opener.saltHex() + "/" + response.number(Protocol.VERSION_HEADER);
            boolean trial = "1".equals(response.headers.get(Protocol.lower(Protocol.TRIAL_HEADER)));
            return new Fetched(opener.open(envelope, name), version, trial);
        } finally {
            Arrays.fill(envelope, (byte) 0);
        }
    }

    /**
     * Tells the safe that its database refused {@code version} of the secret {@code name} (null: the
     * version it holds now), so it hands it to no one until it is replaced. Returns true, and
     * reports nothing, when another safe answers now or the secret was replaced since that
     * version: the caller fetches it again.
     */
    boolean reject(String name, String version) {
        return report(Protocol.Endpoint.REJECT, name, version);
    }

    /**
     * Tells the safe that {@code version} of the secret {@code name}, fetched on trial, worked, so
     * no other consumer waits for it; false, as {@link #reject}, when it was reported.
     */
    boolean accept(String name, String version) {
        return report(Protocol.Endpoint.ACCEPT, name, version);
    }

    private boolean report(Protocol.Endpoint endpoint, String name, String version) {
        Names.check(name);
        byte[] proof = keyCheck();
        try {
            int slash = version == null ? -1 : version.indexOf('/');
            if (version != null && !version.substring(0, slash).equals(opener.saltHex())) {
                return true;
            }
            Map<String, String> which = version == null ? Map.of() : Map.of(Protocol.VERSION_HEADER, version.substring(slash + 1));
            Response response = transport.send(endpoint.path(name), token, KeyCheck.hex(proof), which, new byte[0]);
            if (response.status == Protocol.STALE) {
                return true;
            }
            response.ok();
            return false;
        } finally {
            wipe(proof, null);
        }
    }

    private byte[] keyCheck() {
        if (closed || opener == null) {
            throw new IllegalStateException(CLOSED);
        }
        return opener.keyCheck(this::status);
    }

    private static void wipe(byte[] a, byte[] b) {
        for (byte[] bytes : new byte[][] {a, b}) {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private Protocol.Status status() {
        Protocol.Status status = known;
        known = null;
        return status != null ? status : transport.status();
    }

    LoopbackUrl url() {
        return transport.url;
    }

    void stop() {
        transport.send("POST", Protocol.Endpoint.STOP.path, token).ok();
    }

    /**
     * Wipes the key and passphrase this client holds and closes its connections; later calls throw
     * {@link IllegalStateException} without sending anything. Use try-with-resources where a client
     * is needed only briefly:
     * <pre>{@code
     * try (var client = new passsafe.Client(passphrase, token)) { connect(client.password()); }
     * }</pre>
     * The JDK's AES code keeps its own copy of the key inside each cipher it made, which no one can
     * wipe; those ciphers are garbage after the call that used them, and stay in the heap until the
     * JVM next collects it. A program that must not leave them there can call {@code System.gc()}
     * after closing, at the cost of a pause that grows with its heap.
     */
    @Override
    public void close() {
        closed = true;
        transport.close();
        if (opener != null) {
            opener.close();
        }
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
