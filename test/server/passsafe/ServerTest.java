package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerTest {
    private static final String SECRET = "server-test-secret";

    @Test
    void concurrentWrongTokens_exactlyThreeCountedThenLocked() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Client wrong = safe.client(safe.passphrase, safe.wrongToken());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(() -> {
                    try {
                        return wrong.password();
                    } catch (PasssafeException e) {
                        return e.getClass().getSimpleName();
                    }
                });
            }
            List<String> outcomes = new ArrayList<>();
            try {
                for (Future<String> f : pool.invokeAll(calls)) {
                    outcomes.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(2, outcomes.stream().filter("InvalidToken"::equals).count(), outcomes.toString());
            assertEquals(62, outcomes.stream().filter("Locked"::equals).count(), outcomes.toString());
            assertEquals(1, safe.log.stream().filter(line -> line.contains("now locked")).count(), safe.log.toString());
            assertThrows(PasssafeException.Locked.class, () -> safe.client().password());
        }
    }

    @Test
    void hugeBody_gets413WithoutBeingRead() throws Exception {
        try (Fixture safe = new Fixture(SECRET);
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), safe.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            int port = safe.server.port();
            out.write(("POST /v1/secret HTTP/1.1\r\nHost: localhost:" + port + "\r\nPasssafe-Token: " + safe.token
                    + "\r\nContent-Length: 10485760\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
            Raw.Response response = Raw.read(socket.getInputStream());
            assertEquals(413, response.status(), response.head());
            assertTrue(response.hasHeader("Connection: close"), response.head());
            assertEquals(Token.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT, null, false).attemptsLeft);
            assertEquals(0, safe.safe.status().retrievals, "the oversized request retrieved nothing");
        }
    }

    @Test
    void hugeHeaders_areRefusedUncounted() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            String padding = "X-Pad: " + "a".repeat(9000) + "\r\n";
            Raw.Response response = Raw.send(port, Raw.post(port, "localhost:" + port, safe.wrongToken(), padding));
            assertTrue(response.status() == 431 || response.status() == 400 || response.status() == -1, response.head());
            assertEquals(Token.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT, null, false).attemptsLeft);
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "GET    | /v1/secret        | TOKEN  | 405",
        "POST   | /                 | TOKEN  | 404",
        "POST   | /v1/secret/Bad!   | TOKEN  | 404",
        "POST   | /v1/secret/api    | TOKEN  | 404",
        "POST   | /v1/secret?t=1    | TOKEN  | 400",
        "POST   | /v1/secret        | 12345  | 400",
        "POST   | /v1/secret        | 012345 | 400",
        "POST   | /v1/secret        | NONE   | 400",
    })
    void malformedRequests_getTheirStatusAndAreNotCounted(String method, String path, String token, int status) throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            String header = token.equals("NONE") ? "" : "Passsafe-Token: " + token.replace("TOKEN", safe.token) + "\r\n";
            Raw.Response response = Raw.send(port, method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                    + header + "Content-Length: 0\r\nConnection: close\r\n\r\n");
            assertEquals(status, response.status(), response.head());
            assertFalse(response.body().contains("passsafe-envelope"));
            assertTrue(response.body().endsWith("\n") && response.body().indexOf('\n') == response.body().length() - 1,
                    "one line: " + response.body());
            assertEquals(Token.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT, null, false).attemptsLeft);
        }
    }

    @Test
    void startedButNotOpen_answersNotReadyAndCountsNothing() throws Exception {
        try (TcpServer server = TcpServer.bind(0, ProcNet.ownUid())) {
            List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
            server.start(new Handler(new Gate(server.port(), ProcNet.ownUid()), log::add));
            Client client = new Client(Fixture.someWords(), "936265", "http://localhost:" + server.port(), Fixture.CHEAP);
            PasssafeException e = assertThrows(PasssafeException.NotReady.class, client::password);
            assertEquals("the safe is not serving yet: it is still asking for its duration and password;"
                    + " try again once it prints Serving on", e.getMessage());
            assertEquals(List.of("not ready: the safe is still asking for its duration and password"), log);
        }
    }

    @Test
    void log_neverShowsTokenPassphraseOrSecret() throws IOException {
        try (Fixture safe = new Fixture(SECRET)) {
            safe.client().password();
            assertThrows(PasssafeException.InvalidToken.class, () -> safe.client(safe.passphrase, safe.wrongToken()).password());
            String log = String.join("\n", safe.log);
            assertEquals(2, safe.log.size(), log);
            assertFalse(log.contains(safe.token) || log.contains(safe.wrongToken()) || log.contains(SECRET)
                    || Fixture.showsPassphrase(log, safe.passphrase), log);
        }
    }

    @Test
    void bothLoopbackAddresses_areHeldForTheSafesLife() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            for (String address : new String[] {"127.0.0.1", "::1"}) {
                org.junit.jupiter.api.Assumptions.assumeTrue(!address.equals("::1") || hasIpv6(), "skipped: no IPv6 loopback");
                assertThrows(java.net.BindException.class,
                        () -> new java.net.ServerSocket(safe.server.port(), 1, InetAddress.getByName(address)).close(), address);
            }
            // Served there too, for a client whose localhost is ::1 first.
            Raw.Response response = rawOverIpv6(safe.server.port(), "GET /v1/status HTTP/1.1\r\nHost: [::1]:" + safe.server.port() + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, response.status(), response.head());
        }
    }

    private static boolean hasIpv6() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.isBound();
        } catch (IOException none) {
            return false;
        }
    }

    private static Raw.Response rawOverIpv6(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("::1"), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return Raw.read(socket.getInputStream());
        }
    }

    @org.junit.jupiter.api.Nested
    class AFloodOfRefusals {
        @Test
        void refusals_aFlood_summedUpInAtMostOneLineAMinute() throws Exception {
            // A 200 ms minute.
            try (Cli.Running safe = new Cli.Running(java.time.Duration.ofMillis(200), "300\n" + SECRET + "\n")) {
                int port = safe.port();
                long start = System.nanoTime();
                for (int i = 0; i < 300; i++) {
                    assertEquals(403, Raw.send(port, Raw.post(port, "evil.test:" + port, "111111", "")).status());
                }
                String printed = safe.out.await("refused ", java.time.Duration.ofSeconds(30));
                long minutes = (System.nanoTime() - start) / 200_000_000L + 2;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("refused ([0-9,]+) requests? in the last minute: 0 from other users, ([0-9,]+) from web pages").matcher(printed);
                int lines = 0;
                int total = 0;
                while (m.find()) {
                    lines++;
                    total += Integer.parseInt(m.group(1).replace(",", ""));
                }
                assertTrue(lines >= 1 && lines <= minutes, lines + " summary lines in " + minutes + " minutes:\n" + printed);
                assertFalse(printed.contains("Host header"), "no refusal has a line of its own");
                safe.out.await("refused", java.time.Duration.ofSeconds(1));
                assertTrue(total <= 300, "counted " + total);
            }
        }

        @Test
        void aHeadRequest_printsNothingFromTheJdksLogger() throws Exception {
            List<String> printed;
            try (JarServer server = JarServer.start(SECRET)) {
                for (int i = 0; i < 20; i++) {
                    Raw.send(server.port, "HEAD /v1/secret HTTP/1.1\r\nHost: localhost:" + server.port + "\r\nConnection: close\r\n\r\n");
                }
                assertEquals(SECRET, server.client().password());
                printed = server.stopAndRead();
            }
            String all = String.join("\n", printed);
            assertFalse(all.contains("WARNING") || all.contains("sendResponseHeaders") || all.contains("com.sun.net.httpserver"), all);
            assertTrue(all.contains("retrieved password"), all);
        }

        @org.junit.jupiter.api.Test
        void refusals_preflightsAndOversizedHeadsOnBothFrontEnds_noLineOfTheirOwn() throws Exception {
            org.junit.jupiter.api.Assumptions.assumeTrue(UnixSockets.available(), "skipped: this JDK has no Unix-domain sockets");
            // A 200 ms minute.
            try (Cli.Running safe = new Cli.Running(java.time.Duration.ofMillis(200), "300\n" + SECRET + "\n")) {
                int port = safe.port();
                java.nio.file.Path socket = PrivateDirectory.find(System.getenv(), port, PrivateDirectory.Kind.SOCKET);
                String preflight = "OPTIONS /v1/secret HTTP/1.1\r\nHost: localhost:" + port + "\r\nOrigin: http://evil.test\r\n"
                        + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: passsafe-token\r\n\r\n";
                String manyLines = "GET /v1/status HTTP/1.1\r\nHost: localhost:" + port + "\r\n" + "A: b\r\n".repeat(40) + "\r\n";
                String huge = "GET /v1/status HTTP/1.1\r\nHost: localhost:" + port + "\r\nA: " + "b".repeat(9000) + "\r\n\r\n";
                long start = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    assertEquals(405, Raw.send(port, preflight).status());
                    assertEquals(405, viaSocket(socket, preflight));
                    assertEquals(431, Raw.send(port, manyLines).status());
                    assertEquals(431, viaSocket(socket, manyLines));
                    viaSocket(socket, huge); // closed unanswered, as the JDK's server closes it on TCP
                }
                String printed = safe.out.await("refused ", java.time.Duration.ofSeconds(30));
                long minutes = (System.nanoTime() - start) / 200_000_000L + 2;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("refused ([0-9,]+) requests? in the last minute: 0 from other users,"
                        + " 0 from web pages or with a wrong Host, ([0-9,]+) not from a passsafe client").matcher(printed);
                int lines = 0;
                while (m.find()) {
                    lines++;
                }
                assertTrue(lines >= 1 && lines <= minutes, lines + " summary lines in " + minutes + " minutes:\n" + printed);
                assertFalse(printed.contains("wrong method") || printed.contains("too large"), "no refusal has a line of its own:\n" + printed);
            }
        }

        /** One request through the private socket: the answer's status, or -1 for none. */
        private int viaSocket(java.nio.file.Path socket, String request) throws IOException {
            try (SocketStream stream = UnixSockets.connect(socket)) {
                stream.out().write(request.getBytes(StandardCharsets.ISO_8859_1));
                stream.out().flush();
                return Raw.read(stream.in()).status();
            }
        }
    }

    @org.junit.jupiter.api.Nested
    class AnEndedSafe {
        @Test
        void usedUp_exitsAtOnce_andANewSafeTakesItsPort() throws Exception {
            Cli.Running old = new Cli.Running(java.time.Duration.ofMinutes(1), "5\n" + SECRET + "\n", "--uses", "1");
            assertEquals(SECRET, old.client().password());
            Cli.Run ended = old.end();
            assertEquals(0, ended.status(), ended.err());
            assertTrue(ended.out().contains("The safe's uses are used up: the password is wiped from memory."), ended.out());
            String port = Integer.toString(old.port());
            Output fresh = new Output();
            java.util.concurrent.CompletableFuture<Cli.Run> second = java.util.concurrent.CompletableFuture.supplyAsync(() -> Cli.run(
                    new Main(Fixture.CHEAP, java.time.Duration.ofMinutes(1), null, false), java.util.Map.of(), "5\nnew-secret\n", fresh, "--port", port),
                    Cli::ownThread);
            second.whenComplete((done, failed) -> fresh.finished(done != null ? done.err() : String.valueOf(failed)));
            Announced announced = Announced.parse(fresh.await("Serving on", java.time.Duration.ofSeconds(30)));
            assertEquals(old.port(), announced.port());
            assertEquals("new-secret", announced.client(true).password());
            Cli.Run stopped = Cli.command(java.util.Map.of(Locator.TOKEN, announced.token()), "stop", "--port", port);
            assertEquals(0, stopped.status(), stopped.err());
            assertEquals(0, second.get(30, java.util.concurrent.TimeUnit.SECONDS).status());
        }

        @Test
        void listen_openSafeOnThePort_keepsItsPort() throws Exception {
            try (Cli.Running open = new Cli.Running(java.time.Duration.ofMinutes(1), "5\n" + SECRET + "\n")) {
                Cli.Run second = Cli.run(java.util.Map.of(), "5\nx\n", "--port", Integer.toString(open.port()));
                assertEquals(1, second.status());
                assertTrue(second.err().startsWith("passsafe: error: port " + open.port() + " is already in use\n"), second.err());
                assertEquals(SECRET, open.client().password());
            }
        }
    }
}
