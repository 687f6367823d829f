package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashSet;
import java.util.List;

/**
 * Any command line (one argument per line of the stored input): a usage error (exit 2) in one line that never repeats an argument it could
 * not print plainly (a password typed in the wrong place), or options within their bounds.
 */
class OptionsFuzzTest {
    private static final CommandLine.Option REPEATED = CommandLine.Option.repeated("--env", "VAR");

    @FuzzTest(maxDuration = "2m")
    void serverOptions_usageErrorOrWithinBounds(byte[] input) {
        String[] args = FuzzChecks.args(input);
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (Failure failure) {
            refused(failure, args);
            return;
        }
        for (java.time.Duration duration : new java.time.Duration[] {options.duration, options.idle}) {
            assertTrue(duration == null || duration.compareTo(Durations.MIN) >= 0 && duration.compareTo(Durations.MAX) <= 0, "a duration out of bounds");
        }
        assertTrue(options.port >= 0 && options.port <= 65535, "a port out of range");
        assertTrue(options.uses >= 0 && options.uses <= ServerOptions.MAX_USES, "uses out of range");
        assertFalse(options.secrets.isEmpty(), "no secret to ask for");
        assertTrue(options.secrets.size() <= ServerOptions.MAX_SECRETS, "more secrets than allowed");
        assertEquals(options.secrets.size(), new HashSet<>(options.secrets).size(), "a secret named twice");
        options.secrets.forEach(name -> assertTrue(Names.valid(name), "a malformed name"));
    }

    @FuzzTest(maxDuration = "2m")
    void clientOptions_usageErrorOrWithinBounds(byte[] input) {
        String[] args = FuzzChecks.args(input);
        for (boolean takesRest : new boolean[] {false, true}) {
            try {
                CommandLine line = CommandLine.parse("passsafe exec", List.of(CommandLine.PORT, CommandLine.URL, REPEATED, CommandLine.HELP), takesRest, args);
                int port = line.number(CommandLine.PORT, 1, 65535, 0);
                assertTrue(port >= 0 && port <= 65535, "a port out of range");
                line.exclusive(CommandLine.PORT, CommandLine.URL);
            } catch (Failure failure) {
                refused(failure, args);
            }
        }
    }

    private static void refused(Failure failure, String[] args) {
        assertEquals(Failure.USAGE, failure.status, () -> "not a usage error: " + failure.getMessage());
        FuzzChecks.oneLine(failure.getMessage());
        // What Printable puts in an argument's place is no echo of it, even for an argument that spells it.
        String said = (failure.getMessage() + (failure.hint == null ? "" : " " + failure.hint)).replace(Printable.of("\n"), "");
        for (String arg : args) {
            if (arg.length() >= 8 && Printable.of(arg).equals("(unprintable)") && !arg.startsWith("--")) {
                assertFalse(said.contains(arg), () -> "repeated an unprintable argument: " + said);
            }
        }
    }
}
