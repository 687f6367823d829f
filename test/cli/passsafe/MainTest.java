package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
    private static final String HINT = "passsafe: hint: run passsafe --help\n";

    @Nested
    class BadServerArguments {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "--nope                   | unknown option --nope",
            "-x                       | unknown option -x",
            "hunter2                  | passsafe takes no arguments besides its options and commands; the password is asked for, never given on the command line",
            "--minutes                | --minutes needs a value: --minutes D",
            "--minutes --port 1       | --minutes needs a value: --minutes D",
            "--minutes 0              | --minutes takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
            "--minutes 481            | --minutes takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
            "--duration 30s           | --duration takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
            "--minutes=abc            | --minutes takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
            "--minutes 5 --minutes 6  | --minutes is given twice",
            "--minutes 5 --duration 6 | --minutes and --duration cannot be used together: give one",
            "--port                   | --port needs a value: --port N",
            "--port 65536             | --port takes a whole number from 0 to 65535",
            "--port -1                | --port takes a whole number from 0 to 65535",
            "--port=                  | --port takes a whole number from 0 to 65535",
            "--port 1 --port=2        | --port is given twice",
            "--help=yes               | --help takes no value",
            "--secret                 | --secret needs a value: --secret NAME",
            "--secret Bad!            | --secret takes a name of 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit",
            "--secret a --secret a    | --secret a is given twice",
            "--uses 0                 | --uses takes a whole number from 1 to 1000000",
            "--uses 2 --uses 3        | --uses is given twice",
            "--idle forever           | --idle takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
            "--url http://localhost:1 | unknown option --url",
        })
        void serverArguments_malformed_oneErrorLineOneHintExit2(String args, String message) {
            Cli.Run run = Cli.run(Map.of(), "", args.trim().split(" +"));
            assertEquals(2, run.status());
            assertEquals("passsafe: error: " + message + "\n" + HINT, run.err());
            assertEquals("", run.out());
        }
    }

    @Nested
    class OneParser {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "--port          | --port needs a value: --port N",
            "--port=x        | --port takes a whole number from 1 to 65535",
            "--port 1 --port 2 | --port is given twice",
            "--nope          | unknown option --nope",
            "--port 1 --url=http://localhost:2 | --port and --url cannot be used together: give one",
        })
        void clientArguments_malformed_everyCommandSaysTheSame(String args, String message) {
            for (String command : new String[] {"get", "exec", "status", "stop"}) {
                String[] words = (command + " " + args + (command.equals("exec") ? " -- true" : "")).split(" +");
                Cli.Run run = Cli.command(Map.of(), words);
                assertEquals(2, run.status(), command);
                assertEquals("passsafe: error: " + message + "\npasssafe: hint: run passsafe " + command + " --help\n", run.err(), command);
            }
        }

        @Test
        void options_equalsForm_takenAsTheSpacedForm() throws Exception {
            try (Fixture safe = new Fixture("equals-form")) {
                Map<String, String> env = Map.of(Locator.PASSPHRASE, safe.passphrase, Locator.TOKEN, safe.token);
                assertEquals("equals-form", Cli.command(env, "get", "--port=" + safe.server.port()).out());
                assertEquals("equals-form", Cli.command(env, "get", "--url=" + safe.url()).out());
            }
            try (Cli.Running running = new Cli.Running(Duration.ofMinutes(1), "api-key\n", "--duration=5", "--secret=api", "--uses=2")) {
                assertTrue(running.out.text().contains("Your secrets api are stored in the safe for a period of 5 minutes.\n"
                        + "The safe wipes itself after 2 retrievals.\n"), running.out.text());
                assertEquals("api-key", running.client().password("api"));
            }
        }
    }

    @Nested
    class Help {
        @Test
        void help_serverFlagsAndCommand_printTheServersUsage() {
            for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
                Cli.Run run = Cli.command(Map.of(), args);
                assertEquals(0, run.status());
                assertEquals(Usage.SERVER, run.out());
                assertEquals("", run.err());
            }
        }

        @Test
        void help_aCommand_printsOnlyThatCommandsUsage() {
            for (String command : new String[] {"get", "exec", "status", "stop"}) {
                assertEquals(Usage.of(command), Cli.command(Map.of(), "help", command).out());
                assertEquals(Usage.of(command), Cli.command(Map.of(), command, "--help").out());
                assertFalse(Usage.of(command).contains("--duration"), command);
            }
        }

        @Test
        void help_unknownCommand_refusedWithoutEchoingIt() {
            Cli.Run run = Cli.command(Map.of(), "help", "hunter2");
            assertEquals(2, run.status());
            assertEquals("passsafe: error: help takes one of the commands get, exec, set, reject, status, stop, list or version\n" + HINT, run.err());
        }

        @Test
        void version_flagAndCommand_printTheVersion() {
            for (String arg : new String[] {"--version", "version"}) {
                Cli.Run run = Cli.command(Map.of(), arg);
                assertEquals(0, run.status());
                assertTrue(run.out().matches("passsafe (\\d+\\.\\d+\\.\\d+|\\(development build\\))\n"), run.out());
            }
        }
    }

    @Nested
    class ErrorBoundary {
        @Test
        void errorBoundary_closedStandardOutput_oneLineExit1NoStackTrace() throws Exception {
            try (Fixture safe = new Fixture("broken-pipe")) {
                Map<String, String> env = Map.of(Locator.PASSPHRASE, safe.passphrase, Locator.TOKEN, safe.token, Locator.URL, safe.url());
                for (String command : new String[] {"get", "status"}) {
                    Cli.Run run = runWith(new Closed(), env, command);
                    assertEquals(1, run.status(), command);
                    assertEquals("passsafe: error: cannot write to standard output: it was closed (by head, say) before passsafe finished\n", run.err());
                }
            }
        }

        @Test
        void errorBoundary_outOfMemory_oneLineAndAHintExit1() {
            Cli.Run run = runWith(new OutputStream() {
                @Override
                public void write(int b) {
                    throw new OutOfMemoryError("Java heap space");
                }
            }, Map.of(), "--version");
            assertEquals(1, run.status());
            assertEquals("passsafe: error: out of memory\npasssafe: hint: give the JVM more heap (java -Xmx64m -jar passsafe.jar),"
                    + " or close other programs\n", run.err());
        }

        /** A standard output whose reader has gone, as under {@code | head -c 1}. */
        private static final class Closed extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        }

        private static Cli.Run runWith(OutputStream out, Map<String, String> env, String... args) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = new Main(Fixture.CHEAP, Duration.ofMinutes(1), null, false).run(args, env, null, new ByteArrayInputStream(new byte[0]),
                    out, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Cli.Run(status, "", err.toString(StandardCharsets.UTF_8));
        }
    }

    @Nested
    class AsServer {
        @Test
        void server_portInUse_failsBeforeAskingAnything() throws Exception {
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = taken.getLocalPort();
                Cli.Run run = Cli.run(Map.of(), "30\nsecret\n", "--port", Integer.toString(port));
                assertEquals(1, run.status());
                assertEquals("passsafe: error: port " + port + " is already in use\n"
                        + "passsafe: hint: stop the other safe, or choose another port with --port N"
                        + " (clients then add the URL http://localhost:N)\n", run.err());
                assertEquals("", run.out());
            }
        }

        @Test
        void server_portOfAnOpenSafe_refusedAndTheOpenSafeKeepsServingUntouched() throws Exception {
            try (Cli.Running open = new Cli.Running(java.time.Duration.ofMinutes(1), "5\nopen-secret\n")) {
                int port = open.port();
                Cli.Run second = Cli.run(Map.of(), "30\nsecret\n", "--port", Integer.toString(port));
                assertEquals(1, second.status());
                assertTrue(second.err().startsWith("passsafe: error: port " + port + " is already in use\n"), second.err());
                assertEquals("open-secret", open.client().password());
                assertEquals(3, new Transport(LoopbackUrl.localhost(port), Transport.DEFAULT_DEADLINE).status().attemptsLeft, "nothing counted");
            }
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"stpo | stop", "gte | get", "sttaus | status", "versoin | version", "exce | exec"})
        void server_aCommandMistyped_suggestsItWithoutRepeatingWhatWasTyped(String typed, String meant) {
            Cli.Run run = Cli.run(Map.of(), "", typed);
            assertEquals(2, run.status());
            assertEquals("passsafe: error: passsafe takes no arguments besides its options and commands; the password is asked for,"
                    + " never given on the command line\npasssafe: hint: did you mean '" + meant + "'? run passsafe --help for the commands\n", run.err());
        }

        @Test
        void server_aStrayArgumentFarFromEveryCommand_suggestsNothing() {
            Cli.Run run = Cli.run(Map.of(), "", "hunter2");
            assertEquals("passsafe: error: passsafe takes no arguments besides its options and commands; the password is asked for,"
                    + " never given on the command line\npasssafe: hint: run passsafe --help\n", run.err());
        }

        @Test
        void exec_theCommandsOwnOptionWithoutDoubleDash_suggestsIt() {
            for (String option : new String[] {"-c", "-h", "--help", "--port"}) {
                Cli.Run run = Cli.command(Map.of(), "exec", "psql", option, "1");
                assertEquals(2, run.status(), option);
                assertEquals("passsafe: error: unknown option " + option + "\npasssafe: hint: if it is the command's own option, put the command after --:"
                        + " passsafe exec [--env VAR] -- COMMAND [ARG...]\n", run.err());
                assertEquals("", run.out(), "no help printed, nothing run");
            }
        }

        @ParameterizedTest(name = "stdin {0}")
        @CsvSource(delimiter = '|', value = {
            "''                 | standard input ended before the storage duration",
            "'30'               | standard input ended before the password",
            "'30\\n'            | standard input ended before the password",
            "'30\\n\\n'         | the line for the password on standard input is empty",
            "'0\\nhunter2\\n'   | the storage duration is not valid: a duration is 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
            "'soon\\nhunter2\\n'| the storage duration is not valid: a duration is 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
        })
        void server_unusablePipedInput_exit2WithoutEchoingIt(String stdin, String message) {
            Cli.Run run = Cli.run(Map.of(), stdin.replace("\\n", "\n"), "--port", "0");
            assertEquals(2, run.status());
            assertTrue(run.err().contains("passsafe: error: " + message + "\npasssafe: hint: "), run.err());
            assertFalse(run.err().contains("hunter2") || run.out().contains("hunter2"));
        }

        @Test
        void server_pipedInput_servesOnItsPortAndExits0AtExpiry() throws Exception {
            // Enter means 60 minutes; a 25 ms minute makes that 1.5 s.
            try (Cli.Running running = new Cli.Running(Duration.ofMillis(25), "\ncorrect horse\n")) {
                String printed = running.out.text();
                assertTrue(printed.startsWith("Specify the storage duration in minutes (default=60): \n"
                        + "Enter the user password to store: \n" + Text.LOGO + "\n"
                        + "Your password is stored in the safe for a period of 60 minutes.\n"
                        + "Use the passphrase and token below in the client application:\n\nPassphrase:\n    "), printed);
                assertTrue(running.port() > 0 && running.port() != Protocol.DEFAULT_PORT, "--port 0 picked a free port");
                assertEquals("correct horse", running.client().password());
                Cli.Run run = running.end();
                assertEquals(0, run.status(), run.err());
                assertTrue(run.out().contains("retrieved password (3 attempts left)\n"), run.out());
                assertTrue(run.out().endsWith("The storage duration has expired: the password is wiped from memory.\n"), run.out());
                assertFalse(run.out().contains("correct horse"));
            }
        }
    }
}
