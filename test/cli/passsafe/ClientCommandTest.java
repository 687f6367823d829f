package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** passsafe get|exec|status|stop driven in-process against a real server on a free port. */
class ClientCommandTest {
    private static final String SECRET = "cli-secret ✓";

    static Cli.Run run(Map<String, String> env, String... args) {
        return Cli.command(env, args);
    }

    static Map<String, String> env(Fixture safe) {
        Map<String, String> env = new HashMap<>();
        env.put(Locator.PASSPHRASE, safe.passphrase);
        env.put(Locator.TOKEN, safe.token);
        env.put(Locator.URL, safe.url());
        return env;
    }

    @Test
    void get_fromEnvironment_printsTheSecretWithoutNewlineToAPipe() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Cli.Run run = run(env(safe), "get");
            assertEquals(0, run.status(), run.err());
            assertEquals(SECRET, run.out());
            assertEquals("", run.err());
        }
    }

    @Test
    void set_newValueFromAPipe_replacesItAndGetGivesItByteForByte() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Cli.Run set = Cli.run(env(safe), "pässwörd-€ \\ \"2\"\n", "set");
            assertEquals(0, set.status(), set.err());
            assertTrue(set.out().endsWith("passsafe: secret password replaced in the safe at " + safe.url()
                    + "; its passphrase, token, port and time left are unchanged\n"), set.out());
            assertFalse(set.out().contains("pässwörd"));
            assertEquals("pässwörd-€ \\ \"2\"", run(env(safe), "get").out());
        }
    }

    @Test
    void set_emptyInputOrANameNotHeld_oneLineAndNothingChanged() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Cli.Run empty = Cli.run(env(safe), "\n", "set");
            assertEquals(2, empty.status());
            Cli.Run other = Cli.run(env(safe), "x\n", "set", "--secret", "api");
            assertEquals(1, other.status());
            assertEquals("passsafe: error: this safe holds no secret named api; it holds password; ask for one of those (no token attempt was spent)\n",
                    other.err());
            assertEquals(List.of(SECRET, 0), List.of(run(env(safe), "get").out(), safe.safe.status().replaced));
        }
    }

    @Test
    void reject_thenGetAndStatus_sayItWasRefusedUntilSetReplacesIt() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Cli.Run reject = run(env(safe), "reject");
            assertEquals(0, reject.status(), reject.err());
            assertEquals("passsafe: secret password is handed to no one now, so no other program tries it on the database;"
                    + " replace it with passsafe set\n", reject.out());
            Cli.Run get = run(env(safe), "get");
            assertEquals(1, get.status());
            assertTrue(get.err().startsWith("passsafe: error: the database refused secret password at "), get.err());
            assertTrue(run(env(safe), "status").out().contains("rejected:       1 secret the database refused"), "status shows it");
            assertTrue(run(env(safe), "status", "--json").out().contains("\"rejected\":1"));
            assertEquals(0, Cli.run(env(safe), "right-one\n", "set").status());
            assertEquals("right-one", run(env(safe), "get").out());
            assertEquals(List.of(1, 3), List.of(safe.safe.status().retrievals, safe.safe.status().attemptsLeft),
                    "the refused get spent neither a use nor an attempt");
        }
    }

    @Test
    void get_portOptionBeatsTheEnvironmentsUrl() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Map<String, String> env = env(safe);
            env.put(Locator.URL, "http://localhost:1");
            assertEquals(SECRET, run(env, "get", "--port", Integer.toString(safe.server.port())).out());
            assertEquals(SECRET, run(env, "get", "--url", safe.url()).out());
        }
    }

    @Test
    void get_noSafeNoCredentialsNoTerminal_saysHowToStartOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) {
        Cli.Run run = run(Map.of("HOME", home.toString(), "TMPDIR", home.toString()), "get");
        assertEquals(1, run.status());
        assertEquals("passsafe: error: no safe of yours runs on this host: start one with passsafe --session\n", run.err());
    }

    @Test
    void get_wrongToken_failsWithAttemptsLeft() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Map<String, String> env = env(safe);
            env.put(Locator.TOKEN, safe.wrongToken());
            Cli.Run run = run(env, "get");
            assertEquals(1, run.status());
            assertEquals("passsafe: error: invalid token: 2 attempts left before the safe locks; copy the 6-digit token the server printed\n", run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void exec_putsTheSecretInTheNamedVariableAndReturnsTheCommandsStatus() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            // inheritIO: the child writes to this JVM's real stdout, so it reports through its status.
            String check = "[ \"$DB_PASSWORD\" = '" + SECRET + "' ] && [ -z \"$PASSSAFE_TOKEN$PASSSAFE_PASSPHRASE\" ] && exit 7; exit 3";
            Cli.Run run = run(env(safe), "exec", "--env", "DB_PASSWORD", "--", "/bin/sh", "-c", check);
            assertEquals(7, run.status(), run.err());
            assertEquals("", run.out());
            assertEquals(1, safe.safe.status().retrievals);
        }
    }

    @Test
    void exec_defaultVariableIsPasssafePassword() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Cli.Run run = run(env(safe), "exec", "--", "/bin/sh", "-c", "[ \"$PASSSAFE_PASSWORD\" = '" + SECRET + "' ]");
            assertEquals(0, run.status(), run.err());
        }
    }

    @Test
    void exec_missingProgram_failsBeforeAskingTheSafe() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Cli.Run run = run(env(safe), "exec", "--", "no-such-program-here", "x");
            assertEquals(1, run.status());
            assertEquals("passsafe: error: cannot start no-such-program-here: no such executable on PATH\n"
                    + "passsafe: hint: check the command after --; the safe was not asked for the secret\n", run.err());
            assertEquals(0, safe.safe.status().retrievals);
        }
    }

    @Test
    void exec_wrongPassphrase_commandNeverStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Map<String, String> env = env(safe);
            env.put(Locator.PASSPHRASE, Fixture.someWords());
            java.nio.file.Path marker = dir.resolve("started");
            Cli.Run run = run(env, "exec", "--", "/bin/touch", marker.toString());
            assertEquals(1, run.status());
            assertTrue(run.err().startsWith("passsafe: error: wrong passphrase"), run.err());
            assertFalse(java.nio.file.Files.exists(marker), "the command was started");
        }
    }

    @Test
    void status_showsStateWithoutAnythingSecret() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            safe.client().password();
            Cli.Run run = run(Map.of(), "status", "--url", safe.url());
            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().matches("passsafe at " + safe.url() + ": open\n  time left:      (0:59|1:00)\n"
                    + "  retrievals:     1\n  attempts left:  3\n  process:        " + ProcessHandle.current().pid() + "\n"), run.out());
        }
    }

    @Test
    void status_json_theSameFieldsAsOneLineOfJson() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            safe.client().password();
            Cli.Run run = run(Map.of(), "status", "--url", safe.url(), "--json");
            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().matches("\\{\"url\":\"" + safe.url() + "\",\"state\":\"open\",\"seconds_left\":(59|60),"
                    + "\"retrievals\":1,\"uses_left\":null,\"attempts_left\":3,\"replaced\":0,\"rejected\":0,\"pid\":" + ProcessHandle.current().pid() + "\\}\n"), run.out());
            Cli.Run get = run(Map.of(), "get", "--json");
            assertEquals(2, get.status(), "--json is status's alone");
        }
    }

    @Test
    void status_beforeDuringAndAfterExpiry() throws Exception {
        // A 3 s minute: the 1-minute safe lives 3 s.
        Cli.Running safe = new Cli.Running(Duration.ofSeconds(3), "1\nshort-lived\n");
        try (safe) {
            String port = Integer.toString(safe.port());
            Cli.Run during = run(Map.of(), "status", "--port", port);
            assertEquals(0, during.status(), during.err());
            assertTrue(during.out().startsWith("passsafe at http://localhost:" + port + ": open\n"), during.out());
            assertEquals(0, safe.end().status());
            Cli.Run after = run(Map.of(), "status", "--port", port);
            assertEquals(1, after.status());
            assertTrue(after.err().matches("passsafe: error: the safe on port " + port + ", which ended at [0-9:]{5}, no longer holds its secrets:"
                    + " its storage duration has expired; start a new safe and use the passphrase and token it prints\n"), after.err());
        }
    }

    @Test
    void status_noServer_failsWithTheReason() throws Exception {
        int port = Fixture.closedPort();
        Cli.Run run = run(Map.of(), "status", "--port", Integer.toString(port));
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("passsafe: error: no passsafe server answers at http://localhost:" + port), run.err());
    }

    @Test
    void stop_wrongThenRightToken() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Map<String, String> env = env(safe);
            env.put(Locator.TOKEN, safe.wrongToken());
            Cli.Run wrong = run(env, "stop");
            assertEquals(1, wrong.status());
            assertTrue(wrong.err().startsWith("passsafe: error: invalid token: 2 attempts left"), wrong.err());
            assertEquals(State.OPEN, safe.safe.state());
            Cli.Run right = run(env(safe), "stop");
            assertEquals(0, right.status(), right.err());
            assertEquals("passsafe: the safe at " + safe.url() + " is stopped and its secrets wiped\n", right.out());
            assertEquals(State.STOPPED, safe.safe.state());
            assertTrue(safe.log.get(safe.log.size() - 1).startsWith("stopped by a client"), safe.log.toString());
            assertThrows(PasssafeException.Closed.class, () -> safe.client().password());
        }
    }

    /** The one-time hand-off survives a wrong passphrase: the safe refuses it before the use is spent. */
    @Test
    void get_usesOneAndAWrongPassphrase_spendsNoUseAndTheRightOneStillGetsIt() throws Exception {
        try (Cli.Running safe = new Cli.Running(Duration.ofMinutes(1), "5\n" + SECRET + "\n", "--uses", "1")) {
            String port = Integer.toString(safe.port());
            Map<String, String> token = Map.of(Locator.TOKEN, safe.announced().token());
            Map<String, String> wrong = new java.util.HashMap<>(token);
            wrong.put(Locator.PASSPHRASE, Fixture.someWords());
            Cli.Run refused = run(wrong, "get", "--port", port);
            assertEquals(1, refused.status());
            assertEquals("passsafe: error: wrong passphrase: it is not this safe's, and no use was spent;"
                    + " copy the six words exactly as the server printed them\n", refused.err());
            assertEquals("", refused.out());
            Cli.Run status = run(Map.of(), "status", "--json", "--port", port);
            assertTrue(status.out().contains("\"retrievals\":0,\"uses_left\":1,\"attempts_left\":3"), status.out());
            assertTrue(safe.out.text().contains(": wrong passphrase for password (no use spent, 3 attempts left)"), safe.out.text());

            Cli.Run right = run(safe.env(), "get", "--port", port);
            assertEquals(0, right.status(), right.err());
            assertEquals(SECRET, right.out());
        }
    }

    @Test
    void server_stoppedByClient_saysWhenAndExits0() throws Exception {
        Cli.Running server = new Cli.Running(Duration.ofMinutes(1), "5\n" + SECRET + "\n");
        assertEquals(0, run(Map.of(Locator.TOKEN, server.announced().token()), "stop", "--port", Integer.toString(server.port())).status());
        Cli.Run ended = server.end();
        assertEquals(0, ended.status(), ended.err());
        assertTrue(ended.out().matches("(?s).*stopped by a client[^\n]*\nThe safe was stopped at \\d\\d:\\d\\d:\\d\\d: the password is wiped from memory.\n"), ended.out());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "get --nope                  | unknown option --nope",
        "get api                     | get takes no arguments; the passphrase and token come from the session file, the environment or the terminal",
        "get --secret Bad!           | --secret takes a name of 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit",
        "set --secret a --secret b   | --secret is given twice",
        "reject --secret             | --secret needs a value: --secret NAME",
        "stop --secret a             | unknown option --secret",
        "status --port 0             | --port takes a whole number from 1 to 65535",
        "status --port               | --port needs a value: --port N",
        "status now                  | status takes no arguments",
        "list now                    | list takes no arguments",
        "stop now                    | stop takes no arguments; the token comes from the session file, the environment or the terminal",
        "stop --port 8051 --url http://localhost:1 | --port and --url cannot be used together: give one",
        "get --env X                 | unknown option --env",
        "exec                        | exec needs a command after --, such as: passsafe exec --env PGPASSWORD -- psql -h db",
        "exec --env                  | --env needs a value: --env VAR[=SECRET]",
        "exec --env 1X -- true       | --env takes an environment variable name, such as PGPASSWORD, or VAR=SECRET",
        "exec --env X=Bad! -- true   | --env X=SECRET takes a secret's name of 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit",
        "exec --env X --env X -- true | --env X is given twice",
        "exec --file 1X -- true      | --file takes an environment variable name, such as GOOGLE_APPLICATION_CREDENTIALS, or VAR=SECRET",
        "exec --file X=Bad! -- true  | --file X=SECRET takes a secret's name of 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit",
        "exec --file X --env X -- true | --env X is given twice",
        "exec psql                   | exec takes no arguments before --; the passphrase and token come from the session file, the environment or the terminal",
    })
    void badArguments_exit2WithOneLineAndTheCommandsHint(String args, String message) {
        String[] words = args.trim().split(" +");
        Cli.Run run = run(Map.of(), words);
        assertEquals(2, run.status());
        assertEquals("passsafe: error: " + message + "\npasssafe: hint: run passsafe " + words[0] + " --help\n", run.err());
        assertEquals("", run.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ftp://x", "http://example.com:80", "http://0.0.0.0:8051", "http://127.0.0.2:8051", "http://localhost", "http://[::2]:8051"})
    void notALoopbackUrl_isRefusedBeforeAskingAnything(String url) {
        Cli.Run run = run(Map.of(), "get", "--url", url);
        assertEquals(2, run.status());
        assertEquals("passsafe: error: " + LoopbackUrl.RULE + "\npasssafe: hint: use --port N, or --url http://localhost:PORT\n", run.err());
    }

    @Test
    void malformedPassphraseInTheEnvironment_saysWhatIsWrongWithoutEchoingIt() {
        Cli.Run run = run(Map.of(Locator.PASSPHRASE, "only three words", Locator.TOKEN, "936265"), "get");
        assertEquals(2, run.status());
        assertEquals("passsafe: error: PASSSAFE_PASSPHRASE: the passphrase must be the 6 words the server printed, separated by spaces;"
                + " this one has 3 words\n", run.err());
    }

    @Test
    void locator_aVariableMissingAndNoTerminal_saysWhereCredentialsComeFrom() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Locator tokenOnly = new Locator(Map.of(Locator.TOKEN, safe.token, Locator.URL, safe.url()), null, Fixture.CHEAP);
            PasssafeException e = assertThrows(PasssafeException.NoSession.class, () -> tokenOnly.client(null, false));
            assertEquals("no passsafe session for " + safe.url() + ", no PASSSAFE_PASSPHRASE and PASSSAFE_TOKEN, and no terminal to ask on:"
                    + " start the safe with passsafe --session, or set both variables", e.getMessage());
            // The real bounds refuse this safe's cheap KDF, which proves the variables reached it.
            Locator real = new Locator(env(safe), null, Kdf.MIN_ITERATIONS);
            PasssafeException refused = assertThrows(PasssafeException.UnsupportedServer.class, () -> real.client(null, false).password());
            assertTrue(refused.getMessage().contains("iteration count of " + Fixture.CHEAP), refused.getMessage());
        }
    }
}
