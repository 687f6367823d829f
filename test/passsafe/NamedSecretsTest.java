package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Safes started through the real command line, in-process, with named secrets and limits. */
class NamedSecretsTest {
    /** A server run by Main on a free port, fed through a pipe, with the passphrase and token it printed. */
    static final class Running implements AutoCloseable {
        final int port;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final CompletableFuture<MainTest.Run> run;
        final String passphrase;
        final String token;

        Running(Duration minute, String stdin, String... options) throws Exception {
            port = MainTest.freePort();
            String[] args = new String[options.length + 2];
            System.arraycopy(options, 0, args, 0, options.length);
            args[options.length] = "--port";
            args[options.length + 1] = Integer.toString(port);
            run = CompletableFuture.supplyAsync(() -> MainTest.run(new Main(Fixture.CHEAP, minute, null), stdin, out, args));
            String printed = MainTest.awaitServing(out);
            Matcher m = Pattern.compile("Passphrase:\n    ([a-z ]+)\nToken:\n    ([0-9 ]+)\n").matcher(printed);
            assertTrue(m.find(), printed);
            passphrase = m.group(1);
            token = m.group(2);
        }

        Client client() {
            return new Client(passphrase, token, "http://localhost:" + port, Fixture.CHEAP);
        }

        Map<String, String> env() {
            return Map.of(Credentials.PASSPHRASE, passphrase, Credentials.TOKEN, token, Credentials.URL, "http://localhost:" + port);
        }

        MainTest.Run end() throws Exception {
            return run.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            if (!run.isDone()) {
                ClientCommandTest.run(Map.of(Credentials.TOKEN, token), "stop", "--port", Integer.toString(port));
            }
        }
    }

    @Test
    void twoNamedSecrets_roundTripUnderOnePassphraseAndToken() throws Exception {
        try (Running safe = new Running(Duration.ofMinutes(1), "5\nwarehouse-pw\napi-key-123\n", "--secret", "warehouse", "--secret", "api")) {
            assertTrue(safe.out.toString().contains("Enter the secret 'warehouse' to store: \nEnter the secret 'api' to store: \n"), safe.out.toString());
            assertTrue(safe.out.toString().contains("Your secrets warehouse, api are stored in the safe for a period of 5 minutes.\n"), safe.out.toString());
            Client client = safe.client();
            assertEquals("warehouse-pw", client.password("warehouse"));
            assertEquals("api-key-123", client.password("api"));
            try (Secret secret = client.secret("api")) {
                assertArrayEquals("api-key-123".toCharArray(), secret.chars());
            }
        }
    }

    @Test
    void threeNamedSecrets_andTheCommandLine() throws Exception {
        try (Running safe = new Running(Duration.ofMinutes(1), "5\none\ntwo ✓\nthree\n", "--secret", "a", "--secret", "b-2", "--secret", "c_3")) {
            assertEquals("two ✓", safe.client().password("b-2"));
            assertEquals("three", ClientCommandTest.run(safe.env(), "get", "c_3").out());
            MainTest.Run exec = ClientCommandTest.run(safe.env(), "exec", "--env", "X=a", "--env", "Y=b-2", "--",
                    "/bin/sh", "-c", "[ \"$X\" = one ] && [ \"$Y\" = 'two ✓' ] && exit 5");
            assertEquals(5, exec.status(), exec.err());
        }
    }

    @Test
    void unknownName_listsTheHeldNamesAndSpendsNoAttempt() throws Exception {
        try (Running safe = new Running(Duration.ofMinutes(1), "5\nw\na\n", "--secret", "warehouse", "--secret", "api")) {
            PasssafeException e = assertThrows(PasssafeException.NoSuchSecret.class, () -> safe.client().password("crm"));
            assertEquals("this safe holds no secret named crm; it holds api, warehouse; ask for one of those (no token attempt was spent)", e.getMessage());
            MainTest.Run get = ClientCommandTest.run(safe.env(), "get", "crm");
            assertEquals(1, get.status());
            assertTrue(get.err().startsWith("passsafe: error: this safe holds no secret named crm"), get.err());
            MainTest.Run status = ClientCommandTest.run(Map.of(), "status", "--port", Integer.toString(safe.port));
            assertTrue(status.out().contains("attempts left:  3"), status.out());
            assertThrows(PasssafeException.NoSuchSecret.class, () -> safe.client().password());
        }
    }

    @Test
    void usesOne_servesOnceThenRefusesSayingWhy() throws Exception {
        // A 600 ms minute: the 5-minute safe lives 3 s, refusing with its reason once used up.
        try (Running safe = new Running(Duration.ofMillis(600), "5\nonce-only\n", "--uses", "1")) {
            assertTrue(safe.out.toString().contains("The safe wipes itself after 1 retrieval.\n"), safe.out.toString());
            Client client = safe.client();
            assertEquals("once-only", client.password());
            PasssafeException e = assertThrows(PasssafeException.Closed.class, client::password);
            assertEquals("the safe no longer holds the password (closed: its uses are used up); start a new one with ./passsafe.sh", e.getMessage());
            MainTest.Run ended = safe.end();
            assertEquals(0, ended.status(), ended.err());
            assertTrue(ended.out().contains("retrieved password (0 uses left, 3 attempts left); the safe's uses are used up\n"), ended.out());
            assertTrue(ended.out().contains("The safe's uses are used up: the password is wiped from memory. It refuses every request"), ended.out());
            assertTrue(ended.out().endsWith("The storage duration has expired: the password is wiped from memory.\n"), ended.out());
        }
    }

    @Test
    void idle_endsAnUnusedSafe_andEachRetrievalRestartsIt() throws Exception {
        // A 250 ms minute: --idle 2m is 500 ms, the 20-minute lifetime 5 s.
        try (Running safe = new Running(Duration.ofMillis(250), "20\nidle-pw\n", "--idle", "2m")) {
            Client client = safe.client();
            for (int i = 0; i < 4; i++) {
                Thread.sleep(200);
                assertEquals("idle-pw", client.password(), "retrieval " + i + " kept the safe alive");
            }
            Thread.sleep(1000);
            PasssafeException e = assertThrows(PasssafeException.Closed.class, client::password);
            assertTrue(e.getMessage().contains("(closed: it went unused for its idle time)"), e.getMessage());
            MainTest.Run ended = safe.end();
            assertEquals(0, ended.status(), ended.err());
            assertTrue(ended.out().contains("The safe went unused for its idle time: the password is wiped from memory."), ended.out());
        }
    }

    @Test
    void idle_clientOfAnEndedSafeIsTold() throws Exception {
        Safe safe = new Safe(Token.ascii(936265), new Safe.Limits(Duration.ofMinutes(1), 0, Duration.ofMillis(50)),
                Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], Fixture.CHEAP));
        assertEquals(Safe.State.IDLE, safe.awaitEnd());
        assertTrue(safe.status().contains("state idle\n"), safe.status());
    }
}
