package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one parser of every command line, on its own. */
class CommandLineTest {
    private static final CommandLine.Option FLAG = CommandLine.Option.flag("--flag");
    private static final CommandLine.Option TIME = CommandLine.Option.value("--time", "D");
    private static final CommandLine.Option MANY = CommandLine.Option.repeated("--many", "X");
    private static final List<CommandLine.Option> OPTIONS = List.of(FLAG, TIME, MANY, CommandLine.PORT, CommandLine.URL, CommandLine.HELP);

    private static CommandLine parse(String... args) throws Failure {
        return CommandLine.parse("passsafe try", OPTIONS, true, args);
    }

    /** Parses and reads every option as a command does, which is where values are checked. */
    private static Failure refused(String... args) {
        return assertThrows(Failure.class, () -> {
            CommandLine line = parse(args);
            line.exclusive(CommandLine.PORT, CommandLine.URL);
            line.number(CommandLine.PORT, 1, 65535, 0);
            line.duration(TIME);
        });
    }

    @Test
    void parse_spacedAndEqualsForms_giveTheSameValues() throws Failure {
        for (CommandLine line : List.of(parse("--time", "5m", "--port", "8052"), parse("--time=5m", "--port=8052"))) {
            assertEquals(Duration.ofMinutes(5), line.duration(TIME));
            assertEquals(8052, line.number(CommandLine.PORT, 1, 65535, 0));
            assertFalse(line.has(FLAG));
        }
    }

    @Test
    void parse_operandsRepeatsAndRest_inOrder() throws Failure {
        CommandLine line = parse("--many", "a", "--flag", "--many=b", "one", "two", "--", "psql", "--port", "5432");
        assertEquals(List.of("one", "two"), line.operands);
        assertEquals(List.of("a", "b"), line.values(MANY));
        assertTrue(line.has(FLAG));
        assertEquals(List.of("psql", "--port", "5432"), line.rest, "what follows -- is the command's own, options and all");
        assertNull(parse("x").rest);
        assertTrue(parse("-h").has(CommandLine.HELP));
    }

    @Test
    void parse_absentOptions_areTheirDefaults() throws Failure {
        CommandLine line = parse();
        assertNull(line.value(TIME));
        assertNull(line.duration(TIME));
        assertEquals(7, line.number(CommandLine.PORT, 1, 65535, 7));
        assertEquals(List.of(), line.values(MANY));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--nope                | unknown option --nope",
        "--time                | --time needs a value: --time D",
        "--time --flag         | --time needs a value: --time D",
        "--flag=yes            | --flag takes no value",
        "--time 1m --time 2m   | --time is given twice",
        "--port 1 --url x      | --port and --url cannot be used together: give one",
        "--port 0              | --port takes a whole number from 1 to 65535",
        "--port 65536          | --port takes a whole number from 1 to 65535",
        "--port 80x            | --port takes a whole number from 1 to 65535",
        "--port 99999999999    | --port takes a whole number from 1 to 65535",
        "--time 9h             | --time takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours",
        "--hunter2!              | unknown option (unprintable)",
        "--a-much-longer-option-than-forty-characters | unknown option (unprintable)",
    })
    void parse_aBadLine_isAUsageErrorWithTheHelpHint(String args, String message) {
        Failure failure = refused(args.trim().split(" +"));
        assertEquals(message, failure.getMessage());
        assertEquals(Failure.USAGE, failure.status);
        assertEquals("run passsafe try --help", failure.hint);
    }
}
