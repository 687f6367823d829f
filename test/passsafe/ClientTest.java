package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ClientTest {
    private static final String SECRET = "correct horse battery staple ✓";

    @Test
    void password_rightPassphraseAndToken_returnsSecret() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Client client = safe.client();
            assertEquals(SECRET, client.password());
            char[] chars = client.passwordChars();
            assertArrayEquals(SECRET.toCharArray(), chars);
            assertEquals(2, safe.safe.retrievals(), "every call fetches again");
        }
    }

    @Test
    void password_passphrasePastedWithStraySpaces_works() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            String messy = "\t " + safe.passphrase.replace(" ", "  \n").toUpperCase() + "\n";
            String spaced = safe.token.substring(0, 3) + " " + safe.token.substring(3);
            assertEquals(SECRET, safe.client(messy, spaced).password());
        }
    }

    @Test
    void password_twoWrongTokensThenRight_works() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            PasssafeException.InvalidToken first = assertThrows(PasssafeException.InvalidToken.class,
                    () -> safe.client(safe.passphrase, safe.wrongToken()).password());
            assertEquals(2, first.attemptsLeft());
            PasssafeException.InvalidToken second = assertThrows(PasssafeException.InvalidToken.class,
                    () -> safe.client(safe.passphrase, safe.wrongToken()).password());
            assertEquals(1, second.attemptsLeft());
            assertTrue(second.getMessage().contains("1 attempt left"), second.getMessage());
            assertEquals(SECRET, safe.client().password());
        }
    }

    @Test
    void password_threeWrongTokens_locksAndWipes() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Client wrong = safe.client(safe.passphrase, safe.wrongToken());
            assertThrows(PasssafeException.InvalidToken.class, wrong::password);
            assertThrows(PasssafeException.InvalidToken.class, wrong::password);
            assertThrows(PasssafeException.Locked.class, wrong::password);
            PasssafeException e = assertThrows(PasssafeException.Locked.class, () -> safe.client().password());
            assertTrue(e.getMessage().contains("someone may have tried to guess"), e.getMessage());
            assertFalse(safe.safe.holdsEnvelopes());
            assertTrue(safe.log.get(2).contains("locked"), safe.log.toString());
        }
    }

    @Test
    void password_wrongPassphrase_failsWithoutCountingAnAttempt() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            assertThrows(PasssafeException.WrongPassphrase.class,
                    () -> safe.client("alpha beta gamma delta epsilon zeta", safe.token).password());
            assertEquals(SECRET, safe.client().password());
            assertEquals(Safe.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT).attemptsLeft);
        }
    }

    @Test
    void password_afterExpiry_isRefusedAsClosed() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            safe.safe.end(Safe.State.EXPIRED);
            PasssafeException e = assertThrows(PasssafeException.Closed.class, () -> safe.client().password());
            assertTrue(e.getMessage().contains("expired"), e.getMessage());
        }
    }

    @Test
    void password_noServer_saysHowToStartOne() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Client client = new Client("alpha beta", 936265, "http://localhost:" + port);
        PasssafeException e = assertThrows(PasssafeException.NoServer.class, client::password);
        assertEquals("no passsafe server answers at http://localhost:" + port + ": it may have expired or been stopped;"
                + " start a new one with ./passsafe.sh and use the passphrase and token it prints", e.getMessage());
    }

    @Test
    void password_serverSendsDowngradedIterations_isRefused() throws Exception {
        String envelope = "passsafe-envelope 1\nname password\nkdf pbkdf2-hmac-sha256 1\n"
                + "salt AAECAwQFBgcICQoLDA0ODw==\nnonce oKGio6Slpqeoqaqr\nciphertext AAAAAAAAAAAAAAAAAAAAAA==\n";
        HttpServer fake = fakeServer(200, envelope);
        try {
            Client client = new Client("alpha beta", 936265, "http://localhost:" + fake.getAddress().getPort());
            PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, client::password);
            assertTrue(e.getMessage().contains("iteration count of 1 is outside"), e.getMessage());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void password_unexpectedStatus_isUnsupportedServer() throws Exception {
        HttpServer fake = fakeServer(404, "nothing here\n");
        try {
            Client client = new Client("alpha beta", 936265, "http://localhost:" + fake.getAddress().getPort());
            PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, client::password);
            assertTrue(e.getMessage().contains("HTTP 404 (nothing here)"), e.getMessage());
        } finally {
            fake.stop(0);
        }
    }

    private static HttpServer fakeServer(int status, String body) throws Exception {
        Server.limitJdkServer(); // the first HttpServer of this JVM fixes the limits for all
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void client_sharedAcrossThreads_everyCallSucceeds() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Client client = safe.client();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    results.add(pool.submit(() -> client.password()));
                }
                for (Future<String> result : results) {
                    assertEquals(SECRET, result.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void constructor_malformedArguments_sayWhatIsExpected() {
        IllegalArgumentException token = assertThrows(IllegalArgumentException.class, () -> new Client("a b", 012345));
        assertEquals("the token must be the 6 digits the server printed, such as 936265 or \"936 265\"", token.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Client("a b", "93626"));
        assertThrows(IllegalArgumentException.class, () -> new Client(" \n", 936265));
        assertThrows(IllegalArgumentException.class, () -> new Client(null, 936265));
        for (String url : new String[] {"ftp://localhost:8051", "localhost:8051", "http://localhost:8051/x", "http://u:p@localhost:1", "http://"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Client("a b", 936265, url), url);
            assertEquals("the url must look like http://localhost:8051", e.getMessage());
        }
        assertEquals("passsafe.Client[http://localhost:8052]", new Client("a b", 936265, "http://localhost:8052/").toString());
    }

    @Test
    void toString_neverShowsPassphraseOrToken() {
        String shown = new Client("crudely explode kilogram", "936 265").toString();
        assertFalse(shown.contains("crudely"));
        assertFalse(shown.contains("936"));
    }
}
