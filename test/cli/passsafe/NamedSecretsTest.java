package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Safes started through the real command line, in-process, with named secrets and limits. */
class NamedSecretsTest {
    @Test
    void twoNamedSecrets_roundTripUnderOnePassphraseAndToken() throws Exception {
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\nwarehouse-pw\napi-key-123\n", "--secret", "warehouse", "--secret", "api")) {
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
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\none\ntwo ✓\nthree\n", "--secret", "a", "--secret", "b-2", "--secret", "c_3")) {
            assertEquals("two ✓", safe.client().password("b-2"));
            assertEquals("three", Cli.command(safe.env(), "get", "--secret", "c_3").out());
            Cli.Run exec = Cli.command(safe.env(), "exec", "--env", "X=a", "--env", "Y=b-2", "--",
                    "/bin/sh", "-c", "[ \"$X\" = one ] && [ \"$Y\" = 'two ✓' ] && exit 5");
            assertEquals(5, exec.status(), exec.err());
        }
    }

    @Test
    void unknownName_listsTheHeldNamesAndSpendsNoAttempt() throws Exception {
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\nw\na\n", "--secret", "warehouse", "--secret", "api")) {
            PasssafeException e = assertThrows(PasssafeException.NoSuchSecret.class, () -> safe.client().password("crm"));
            assertEquals("this safe holds no secret named crm; it holds api, warehouse; ask for one of those (no token attempt was spent)", e.getMessage());
            Cli.Run get = Cli.command(safe.env(), "get", "--secret", "crm");
            assertEquals(1, get.status());
            assertTrue(get.err().startsWith("passsafe: error: this safe holds no secret named crm"), get.err());
            Cli.Run status = Cli.command(Map.of(), "status", "--port", Integer.toString(safe.port()));
            assertTrue(status.out().contains("attempts left:  3"), status.out());
            assertThrows(PasssafeException.NoSuchSecret.class, () -> safe.client().password());
        }
    }

    @Test
    void usesOne_servesOnceThenRefusesSayingWhy() throws Exception {
        // A 600 ms minute: the 5-minute safe lives 3 s; used up, it exits at once, and its record says why.
        try (Cli.Running safe = new Cli.Running(Duration.ofMillis(600), "5\nonce-only\n", "--uses", "1")) {
            assertTrue(safe.out.toString().contains("The safe wipes itself after 1 retrieval.\n"), safe.out.toString());
            Client client = safe.client();
            assertEquals("once-only", client.password());
            PasssafeException e = assertThrows(PasssafeException.Closed.class, client::password);
            // Said by the safe itself while it closes, else by the record it left: the same sentence, with where and when.
            assertTrue(e.getMessage().endsWith("no longer holds its secrets: its uses are used up; start a new safe and use the passphrase and token it prints"),
                    e.getMessage());
            assertEquals(PasssafeException.Closed.Reason.USED_UP, ((PasssafeException.Closed) e).reason());
            Cli.Run ended = safe.end();
            assertEquals(0, ended.status(), ended.err());
            assertTrue(ended.out().contains("retrieved password (0 uses left, 3 attempts left); the safe's uses are used up\n"), ended.out());
            assertTrue(ended.out().endsWith("The safe's uses are used up: the password is wiped from memory.\n"), ended.out());
        }
    }

    @Test
    void idle_endsAnUnusedSafe_andEachRetrievalRestartsIt() throws Exception {
        // A 1 s minute: --idle 2m is 2 s, the 8-minute lifetime 8 s.
        try (Cli.Running safe = new Cli.Running(Duration.ofSeconds(1), "8\nidle-pw\n", "--idle", "2m")) {
            Client client = safe.client();
            long start = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                Thread.sleep(800); // time passing is what this test is about: 3.2 s in all, past the 2 s idle time
                assertEquals("idle-pw", client.password(), "retrieval " + i + " kept the safe alive");
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() > 3000);
            safe.out.await("The safe went unused for its idle time: the password is wiped from memory.", Duration.ofSeconds(30));
            PasssafeException e = assertThrows(PasssafeException.Closed.class, client::password);
            assertTrue(e.getMessage().contains(": it went unused for its idle time;"), e.getMessage());
            Cli.Run ended = safe.end();
            assertEquals(0, ended.status(), ended.err());
        }
    }

    @Test
    void idle_clientOfAnEndedSafeIsTold() throws Exception {
        Safe safe = new Safe(Token.ascii(936265), new Safe.Limits(Duration.ofMinutes(1), 0, Duration.ofMillis(50)), KeyCheck.of(new byte[32]),
                Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], Fixture.CHEAP));
        assertEquals(State.IDLE, safe.awaitEnd());
        assertEquals(State.IDLE, safe.status().state);
    }
}
