package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientTest {
    private static final String SECRET = "correct horse battery staple ✓";

    @Test
    void password_rightPassphraseAndToken_returnsSecret() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Client client = safe.client();
            assertEquals(SECRET, client.password());
            char[] chars = client.secret().chars();
            assertArrayEquals(SECRET.toCharArray(), chars);
            assertEquals(2, safe.safe.status().retrievals, "every call fetches again");
        }
    }

    @Test
    void replace_thenPassword_theNewSecretUnderTheSamePassphraseTokenAndPort() throws Exception {
        try (Fixture safe = new Fixture(SECRET); Client client = safe.client()) {
            assertEquals(SECRET, client.password());
            client.replace(Names.DEFAULT, "pässwörd-€ 2".toCharArray());
            assertEquals("pässwörd-€ 2", client.password());
            assertEquals("pässwörd-€ 2", safe.client().password(), "a fresh client with the same passphrase and token");
            assertEquals(List.of(3, 1, 3), List.of(safe.safe.status().retrievals, safe.safe.status().replaced, safe.safe.status().attemptsLeft));
            assertTrue(safe.log.contains("secret password replaced by a client of user " + System.getProperty("user.name") + " (uid " + ProcNet.ownUid() + ")"),
                    safe.log.toString());
            assertFalse(safe.log.toString().contains("pässwörd"));
        }
    }

    @Test
    void replace_atTheSizeLimitKept_oneByteOverRefusedBeforeSending() throws Exception {
        try (Fixture safe = new Fixture(SECRET); Client client = safe.client()) {
            String limit = "€".repeat(Envelope.MAX_SECRET_BYTES / 3) + "x".repeat(Envelope.MAX_SECRET_BYTES % 3);
            client.replace(Names.DEFAULT, limit.toCharArray());
            assertEquals(limit, client.password());
            IllegalArgumentException over = assertThrows(IllegalArgumentException.class, () -> client.replace(Names.DEFAULT, (limit + "x").toCharArray()));
            assertEquals("the secret has 65537 bytes; passsafe keeps at most 65536", over.getMessage());
            assertEquals(List.of(limit, 1), List.of(client.password(), safe.safe.status().replaced));
        }
    }

    @Test
    void replace_wrongPassphraseOrToken_refusedAsARetrievalIsAndNothingChanged() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            assertThrows(PasssafeException.WrongPassphrase.class, () -> safe.client(Fixture.someWords(), safe.token).replace(Names.DEFAULT, "x".toCharArray()));
            assertEquals(3, safe.safe.status().attemptsLeft, "a wrong passphrase is not counted");
            PasssafeException.InvalidToken wrong = assertThrows(PasssafeException.InvalidToken.class,
                    () -> safe.client(safe.passphrase, safe.wrongToken()).replace(Names.DEFAULT, "x".toCharArray()));
            assertEquals(2, wrong.attemptsLeft(), "a wrong token is");
            assertThrows(PasssafeException.NoSuchSecret.class, () -> safe.client().replace("api", "x".toCharArray()));
            assertEquals(SECRET, safe.client().password());
            assertEquals(0, safe.safe.status().replaced);
        }
    }

    @Test
    void reject_thenPassword_refusedInOneLineUntilReplaced() throws Exception {
        try (Fixture safe = new Fixture(SECRET); Client client = safe.client()) {
            Fetched fetched = client.fetch(Names.DEFAULT, false);
            assertFalse(client.reject(Names.DEFAULT, fetched.version), "the version fetched is the one held: rejected now");
            PasssafeException.Rejected refused = assertThrows(PasssafeException.Rejected.class, client::password);
            assertTrue(refused.getMessage().matches("the database refused secret password at [0-2][0-9]:[0-5][0-9]; replace it with passsafe set"
                    + " \\(nothing was sent to the database, and no use was spent\\)"), refused.getMessage());
            client.replace(Names.DEFAULT, "new".toCharArray());
            assertTrue(client.reject(Names.DEFAULT, fetched.version), "a refusal of the version before the replacement changes nothing");
            assertEquals("new", client.password());
            assertEquals(List.of(2, 0), List.of(safe.safe.status().retrievals, safe.safe.status().rejected));
        }
    }

    @Test
    void replace_overTheWire_aBodyOverTheEnvelopeCapIs413UnreadAndANonEnvelopeIs400() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            String head = "POST /v1/replace HTTP/1.1\r\nHost: localhost:" + safe.server.port() + "\r\nPasssafe-Token: " + safe.token
                    + "\r\nPasssafe-Key-Check: " + safe.keyCheck + "\r\nConnection: close\r\n";
            Raw.Response over = Raw.send(safe.server.port(), head + "Content-Length: " + (Envelope.MAX_SIZE_IN_BYTES + 1) + "\r\n\r\n");
            assertEquals(413, over.status());
            String junk = "passsafe-envelope 1\nname password\n";
            Raw.Response notSealed = Raw.send(safe.server.port(), head + "Content-Length: " + junk.length() + "\r\n\r\n" + junk);
            assertEquals(400, notSealed.status(), notSealed.body());
            assertEquals(List.of(SECRET, 0, 3), List.of(safe.client().password(), safe.safe.status().replaced, safe.safe.status().attemptsLeft));
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
    void password_urlTypedInCapitals_isSentInTheOneFormTheGateAccepts() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Client client = new Client(safe.passphrase, safe.token, "HTTP://LOCALHOST:" + safe.server.port() + "/", Fixture.CHEAP);
            assertEquals(SECRET, client.password());
            assertEquals("passsafe.Client[http://localhost:" + safe.server.port() + "]", client.toString());
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
            assertEquals(Safe.Outcome.REFUSED, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT, null, false).outcome);
            assertTrue(safe.log.get(2).contains("locked"), safe.log.toString());
        }
    }

    @Test
    void password_wrongPassphrase_failsWithoutCountingAnAttempt() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            assertThrows(PasssafeException.WrongPassphrase.class,
                    () -> safe.client(Fixture.someWords(), safe.token).password());
            assertEquals(SECRET, safe.client().password());
            assertEquals(Token.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT, null, false).attemptsLeft);
        }
    }

    @Test
    void password_afterExpiry_isRefusedAsClosed() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            safe.safe.end(State.EXPIRED);
            PasssafeException e = assertThrows(PasssafeException.Closed.class, () -> safe.client().password());
            assertTrue(e.getMessage().contains("expired"), e.getMessage());
        }
    }

    @Test
    void password_noServer_saysHowToStartOne() throws Exception {
        int port = Fixture.closedPort();
        Client client = Client.at("http://localhost:" + port, Fixture.someWords(), "936265");
        PasssafeException e = assertThrows(PasssafeException.NoServer.class, client::password);
        assertEquals("no passsafe server answers at http://localhost:" + port + ": it may have expired or been stopped;"
                + " start a new safe and use the passphrase and token it prints", e.getMessage());
    }

    @Test
    void password_serverSendsDowngradedIterations_isRefused() throws Exception {
        String envelope = "passsafe-envelope 1\nname password\nkdf pbkdf2-hmac-sha256 1\n"
                + "salt AAECAwQFBgcICQoLDA0ODw==\nnonce oKGio6Slpqeoqaqr\nciphertext AAAAAAAAAAAAAAAAAAAAAA==\n";
        HttpServer fake = fakeServer(STATUS + "salt 000102030405060708090a0b0c0d0e0f\niterations 1\n", 200, envelope);
        try {
            Client client = Client.at("http://localhost:" + fake.getAddress().getPort(), Fixture.someWords(), "936265");
            PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, client::password);
            assertTrue(e.getMessage().contains("iteration count of 1 is outside"), e.getMessage());
        } finally {
            fake.stop(0);
        }
    }

    /** A server of another protocol: this client asks for nothing it cannot prove. */
    @Test
    void password_serverOfAnotherProtocol_isRefusedInOneLine() throws Exception {
        HttpServer fake = fakeServer(STATUS.replace("protocol 3", "protocol 2"), 200, "never asked for");
        try {
            Client client = Client.at("http://localhost:" + fake.getAddress().getPort(), Fixture.someWords(), "936265");
            PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, client::password);
            assertEquals("the server's answer was refused: it speaks another passsafe protocol than 3;"
                    + " use the same passsafe.jar for the server and the client", e.getMessage());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void password_unexpectedStatus_isUnsupportedServer() throws Exception {
        HttpServer fake = fakeServer(STATUS + "salt 000102030405060708090a0b0c0d0e0f\niterations " + Fixture.CHEAP + "\n",
                404, "nothing here\n");
        try {
            Client client = new Client(Fixture.someWords(), "936265", "http://localhost:" + fake.getAddress().getPort(), Fixture.CHEAP);
            PasssafeException e = assertThrows(PasssafeException.UnsupportedServer.class, client::password);
            assertTrue(e.getMessage().contains("HTTP 404 (nothing here)"), e.getMessage());
            assertFalse(e instanceof PasssafeException.NoSuchSecret);
        } finally {
            fake.stop(0);
        }
    }

    /** An open safe's status as a server of protocol 1 gave it: no protocol, no salt. */
    private static final String STATUS = "passsafe-status 1\nstate open\nseconds-left 60\nretrievals 0\nuses-left unlimited\nattempts-left 3\nreplaced 0\nrejected 0\nprotocol 3\n";

    /** A server that answers {@code statusBody} to its status, and {@code status} with {@code body} to anything else. */
    private static HttpServer fakeServer(String statusBody, int status, String body) throws Exception {

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            boolean asksStatus = exchange.getRequestURI().getPath().equals(Protocol.Endpoint.STATUS.path);
            byte[] bytes = (asksStatus ? statusBody : body).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(asksStatus ? 200 : status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void deadline_aServerThatTricklesItsAnswer_cannotStretchACall() throws Exception {
        try (java.net.ServerSocket fake = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread trickler = new Thread(() -> {
                try (java.net.Socket socket = fake.accept()) {
                    socket.getInputStream().read(new byte[512]);
                    // 200 bytes, one every 200 ms: each read is quick, the whole takes 40 s.
                    byte[] answer = ("HTTP/1.1 200 OK\r\nX-Slow: " + "a".repeat(175)).getBytes(StandardCharsets.US_ASCII);
                    for (byte b : answer) {
                        socket.getOutputStream().write(b);
                        socket.getOutputStream().flush();
                        Thread.sleep(200);
                    }
                } catch (Exception ended) {
                    // the client hung up, as it should
                }
            });
            trickler.setDaemon(true);
            trickler.start();
            Client client = new Client(new Transport(LoopbackUrl.parse("http://127.0.0.1:" + fake.getLocalPort()), java.time.Duration.ofSeconds(1)),
                    "936265", new Opener(Passphrase.parse(Fixture.someWords()), Kdf.MIN_ITERATIONS), null);
            long start = System.nanoTime();
            PasssafeException e = assertThrows(PasssafeException.Timeout.class, client::password);
            long millis = (System.nanoTime() - start) / 1_000_000;
            // The bound is the point: at least the deadline, and far less than the 40 s the answer takes (room for a loaded machine).
            assertTrue(millis >= 1_000 && millis < 20_000, "took " + millis + " ms");
            assertEquals("the passsafe server at http://127.0.0.1:" + fake.getLocalPort() + " did not answer within 1 second;"
                    + " check that it is still running, or start a new one", e.getMessage());
        }
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
    void constructor_malformedToken_saysWhatIsExpected() {
        String words = Fixture.someWords();
        IllegalArgumentException token = assertThrows(IllegalArgumentException.class, () -> new Client(words, 012345));
        assertEquals("the token must be the 6 digits the server printed, such as 936265 or \"936 265\"", token.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Client(words, "93626"));
        assertThrows(IllegalArgumentException.class, () -> new Client(null, 936265));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
        "orbit copper ribbon                        | the passphrase must be the 6 words the server printed, separated by spaces; this one has 3 words",
        "' \n'                                     | the passphrase must be the 6 words the server printed, separated by spaces; this one has 0 words",
        "orbit copper ribbon flute wealth slice extra | the passphrase must be the 6 words the server printed, separated by spaces; this one has 7 words",
        "orbit copper ribbon flute wealth slices    | word 6 of the passphrase is not one passsafe prints; copy the six words exactly as the server printed them",
        "orbit-copper ribbon flute wealth slice x   | word 1 of the passphrase is not one passsafe prints; copy the six words exactly as the server printed them",
    })
    void constructor_malformedPassphrase_saysWhatIsWrongWithoutEchoingIt(String passphrase, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Client(passphrase, 936265));
        assertEquals(message, e.getMessage());
        for (String word : passphrase.trim().split("\\s+")) {
            assertFalse(word.length() > 3 && e.getMessage().contains(word), "echoed " + word);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ftp://localhost:8051", "localhost:8051", "http://localhost:8051/x", "http://u:p@localhost:1", "http://",
        "http://example.com:80", "http://0.0.0.0:8051", "http://127.0.0.2:8051", "http://[::2]:8051", "http://localhost", "http://db.example:8051"})
    void constructor_urlOtherThanLoopback_isRefusedBeforeConnecting(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Client.at(url, Fixture.someWords(), "936265"), url);
        assertEquals("the url must be http://localhost:PORT, http://127.0.0.1:PORT or http://[::1]:PORT:"
                + " a passsafe server listens on this machine only", e.getMessage());
    }

    @Test
    void constructor_loopbackUrls_areTaken() {
        for (String url : new String[] {"http://localhost:8052/", "http://127.0.0.1:8052", "http://[::1]:8052", "http://LOCALHOST:8052"}) {
            assertTrue(Client.at(url, Fixture.someWords(), "936265").toString().endsWith(":8052]"), url);
        }
    }

    @Test
    void toString_neverShowsPassphraseOrToken() {
        String shown = new Client("orbit copper ribbon flute wealth slice", "936 265").toString();
        assertEquals("passsafe.Client[http://localhost:8051]", shown);
    }

    @Test
    void close_sendsNothingAfterwards_soAOneTimeSafeIsNotSpent() throws Exception {
        try (Cli.Running safe = new Cli.Running(java.time.Duration.ofMinutes(1), "5\nonce-only\n", "--uses", "1")) {
            Client closed = safe.client();
            closed.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, closed::password);
            assertEquals("this passsafe.Client is closed; create a new one", e.getMessage());
            assertFalse(safe.out.text().contains("retrieved"), safe.out.text());
            assertEquals("once-only", safe.client().password(), "the one use is still there");
        }
    }

    @Test
    void close_closesTheKeptAliveConnections() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcNet.available(), "skipped: no /proc/net to see connections");
        try (Fixture safe = new Fixture(SECRET)) {
            Client client = safe.client();
            client.password();
            assertEquals(1, clientEnds(safe.server.port()), "one kept-alive connection after a call");
            client.close();
            assertEquals(0, clientEnds(safe.server.port()), "none after close()");
        }
    }

    /** Established connections from this host's clients to {@code port}, counted from the clients' end. */
    private static long clientEnds(int port) {
        long[] count = new long[1];
        ProcNet.Tables.SYSTEM.scan(row -> {
            count[0] += row.state.equals(ProcNet.ESTABLISHED) && row.remotePort == port ? 1 : 0;
            return false;
        });
        return count[0];
    }
}
