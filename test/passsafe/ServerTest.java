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
            assertEquals(Safe.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT).attemptsLeft);
            assertEquals(0, safe.safe.retrievals() - 1, "the oversized request retrieved nothing");
        }
    }

    @Test
    void hugeHeaders_areRefusedUncounted() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            String padding = "X-Pad: " + "a".repeat(9000) + "\r\n";
            Raw.Response response = Raw.send(port, Raw.post(port, "localhost:" + port, safe.wrongToken(), padding));
            assertTrue(response.status() == 431 || response.status() == 400 || response.status() == -1, response.head());
            assertEquals(Safe.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT).attemptsLeft);
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
            assertEquals(Safe.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT).attemptsLeft);
        }
    }

    @Test
    void startedButNotOpen_answersNotReadyAndCountsNothing() throws Exception {
        try (Server server = Server.bind(0, ProcNet.ownUid())) {
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
                    || log.contains(safe.passphrase.split(" ")[0] + " "), log);
        }
    }
}
