package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MainTest {
    /** The outcome of one in-process run. */
    record Run(int status, String out, String err) {}

    static Run run(String stdin, String... args) {
        return run(new Main(Fixture.CHEAP, Duration.ofMinutes(1), null), stdin, new ByteArrayOutputStream(), args);
    }

    static Run run(Main main, String stdin, ByteArrayOutputStream out, String... args) {
        return run(main, Map.of(), stdin, out, args);
    }

    /** One run of {@code main} with this environment and standard input, and no terminal. */
    static Run run(Main main, Map<String, String> env, String stdin, ByteArrayOutputStream out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = main.run(args, env, null, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--nope                 | unknown option --nope",
        "-x                     | unknown option -x",
        "hunter2                | passsafe takes no arguments besides its options and commands; the password is asked for, never given on the command line",
        "--minutes              | --minutes needs a value: --minutes D",
        "--minutes --port 1     | --minutes needs a value: --minutes D",
        "--minutes 0            | --minutes takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
        "--minutes 481          | --minutes takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
        "--duration 30s         | --duration takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
        "--minutes=abc          | --minutes takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
        "--minutes 5 --minutes 6| --minutes is given twice",
        "--minutes 5 --duration 6| --minutes and --duration cannot be used together: give one",
        "--port                 | --port needs a value: --port N",
        "--port 0               | --port takes a whole number from 1 to 65535",
        "--port 65536           | --port takes a whole number from 1 to 65535",
        "--port -1              | --port takes a whole number from 1 to 65535",
        "--port=                | --port takes a whole number from 1 to 65535",
        "--secret               | --secret needs a value: --secret NAME",
        "--secret Bad!          | --secret takes a name of 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit",
        "--secret a --secret a  | --secret a is given twice",
        "--uses 0               | --uses takes a whole number from 1 to 1000000",
        "--uses 2 --uses 3      | --uses is given twice",
        "--idle forever         | --idle takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
    })
    void run_badArguments_exit2WithOneErrorLineAndUsage(String args, String message) {
        Run run = run("", args.trim().split(" +"));
        assertEquals(2, run.status());
        assertEquals("passsafe: error: " + message + "\n" + Options.USAGE, run.err());
        assertEquals("", run.out());
    }

    @Test
    void run_help_printsUsageAndExits0() {
        Run run = run("", "--help");
        assertEquals(0, run.status());
        assertEquals(Options.USAGE, run.out());
    }

    @Test
    void run_version_printsVersion() {
        Run run = run("", "--version");
        assertEquals(0, run.status());
        assertTrue(run.out().startsWith("passsafe "), run.out());
    }

    @Test
    void run_portInUse_failsBeforeAskingAnything() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run run = run("30\nsecret\n", "--port", Integer.toString(port));
            assertEquals(1, run.status());
            assertEquals("passsafe: error: port " + port + " is already in use\n"
                    + "passsafe: hint: stop the other safe, or choose another port with --port N"
                    + " (clients then add the URL http://localhost:N)\n", run.err());
            assertEquals("", run.out());
        }
    }

    @ParameterizedTest(name = "stdin {0}")
    @CsvSource(delimiter = '|', value = {
        "''                 | standard input ended before the storage duration",
        "'30'               | standard input ended before the password",
        "'30\\n'            | standard input ended before the password",
        "'30\\n\\n'         | the line for the password on standard input is empty",
        "'0\\nhunter2\\n'   | the storage duration is not valid: a duration is whole minutes (30) or a time such as 90s, 45m or 1h30m, from 1 minute to 8 hours",
        "'soon\\nhunter2\\n'| the storage duration is not valid: a duration is whole minutes (30) or a time such as 90s, 45m or 1h30m, from 1 minute to 8 hours",
    })
    void run_badPipedInput_exit2WithoutEchoingIt(String stdin, String message) throws Exception {
        Run run = run(stdin.replace("\\n", "\n"), "--port", Integer.toString(freePort()));
        assertEquals(2, run.status());
        assertTrue(run.err().contains("passsafe: error: " + message + "\npasssafe: hint: "), run.err());
        assertTrue(!run.err().contains("hunter2") && !run.out().contains("hunter2"));
    }

    @Test
    void run_pipedInput_servesUntilExpiryThenExits0() throws Exception {
        int port = freePort();
        // Enter means 60 minutes; a 25 ms minute makes that 1.5 s.
        Main main = new Main(Fixture.CHEAP, Duration.ofMillis(25), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                () -> run(main, "\ncorrect horse\n", out, "--port", Integer.toString(port)));
        String printed = awaitServing(out);
        assertTrue(printed.startsWith("Specify the storage duration in minutes (default=60): \n"
                + "Enter the user password to store: \n" + ServerCommand.LOGO + "\n"
                + "Your password is stored in the safe for a period of 60 minutes.\n"
                + "Use the passphrase and token below in the client application:\n\nPassphrase:\n    "), printed);
        Matcher m = Pattern.compile("Passphrase:\n    ([a-z ]+)\nToken:\n    ([1-9][0-9]{2} [0-9]{3})\n\nServing on http://localhost:" + port + "\n").matcher(printed);
        assertTrue(m.find(), printed);
        Client client = new Client(m.group(1), m.group(2), "http://localhost:" + port, Fixture.CHEAP);
        assertEquals("correct horse", client.password());
        Run run = running.get(60, TimeUnit.SECONDS);
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("retrieved password (3 attempts left)\n"), run.out());
        assertTrue(run.out().endsWith("The storage duration has expired: the password is wiped from memory.\n"), run.out());
        assertTrue(!run.out().contains("correct horse"));
    }

    static String awaitServing(ByteArrayOutputStream out) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            String printed = out.toString(StandardCharsets.UTF_8);
            if (printed.contains("Serving on")) {
                return printed;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start serving within 30 s");
    }
}

