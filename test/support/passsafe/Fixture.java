package passsafe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/** A real server on a free loopback port holding one secret, sealed with a cheap KDF for speed. */
final class Fixture implements AutoCloseable {
    static final int CHEAP = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    final String passphrase;
    final String token;
    /** The key check a client of this safe sends, in hex. */
    final String keyCheck;
    final Safe safe;
    final TcpServer server;
    final Handler handler;
    final List<String> log = new CopyOnWriteArrayList<>();

    Fixture(String secret) throws IOException {
        char[] words = Passphrase.generate(RANDOM);
        byte[] salt = Envelope.newSalt();
        byte[] key = Kdf.derive(words, salt, CHEAP);
        Envelope envelope = Envelope.seal(Names.DEFAULT, secret.getBytes(StandardCharsets.UTF_8), key, salt, CHEAP);
        byte[] digits = Token.generate(RANDOM);
        passphrase = new String(words);
        token = new String(digits, StandardCharsets.US_ASCII);
        byte[] check = KeyCheck.of(key);
        keyCheck = KeyCheck.hex(check);
        safe = new Safe(digits.clone(), new Safe.Limits(Duration.ofMinutes(1), 0, null), check, envelope);
        server = TcpServer.bind(0, ProcNet.ownUid());
        handler = new Handler(new Gate(server.port(), ProcNet.ownUid()), log::add);
        server.start(handler);
        handler.open(safe);
    }

    String url() {
        return "http://localhost:" + server.port();
    }

    Client client() {
        return client(passphrase, token);
    }

    Client client(String passphrase, String token) {
        return new Client(passphrase, token, url(), CHEAP);
    }

    /** A loopback port that nothing listens on, just released by the system. */
    static int closedPort() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        // An earlier test's safe may have served on it and left its end record in the run's shared
        // home: what a client then says is how that safe ended, not that nothing answers.
        PrivateDirectory.removeStale(System.getenv(), port);
        return port;
    }

    /**
     * Whether {@code text} shows {@code passphrase}, or any two of its words in a row with anything
     * but letters between them (JSON's {@code \n} included): one of its words alone is no sign,
     * since the list is common English.
     */
    static boolean showsPassphrase(String text, String passphrase) {
        String[] words = passphrase.trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (Pattern.compile("\\b" + words[i] + "(?:[^a-z]|\\\\[nrt])*" + words[i + 1] + "\\b", Pattern.CASE_INSENSITIVE).matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /** Six words from the list, fresh each time: a passphrase valid in form that opens nothing. */
    static String someWords() {
        char[] words = Passphrase.generate(RANDOM);
        return new String(words);
    }

    /** A token that is valid in form but not this safe's. */
    String wrongToken() {
        return token.equals("111111") ? "222222" : "111111";
    }

    @Override
    public void close() {
        server.close();
        safe.end(State.INTERRUPTED);
    }
}
