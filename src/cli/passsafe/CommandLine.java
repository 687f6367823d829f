package passsafe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one parser of every passsafe command line. Options are {@code --name value} or
 * {@code --name=value}; a missing value, an option given twice, an unknown option and two options
 * that exclude each other get the same messages in every command. What an option's value means
 * is checked by the helpers here, so a port or a duration is refused in the same words everywhere.
 */
final class CommandLine {
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,7}");

    static final class Option {
        final String name;
        /** The value's placeholder in messages ({@code N}, {@code D}, {@code URL}), or null for a flag. */
        final String placeholder;
        final boolean repeats;

        private Option(String name, String placeholder, boolean repeats) {
            this.name = name;
            this.placeholder = placeholder;
            this.repeats = repeats;
        }

        static Option flag(String name) {
            return new Option(name, null, false);
        }

        static Option value(String name, String placeholder) {
            return new Option(name, placeholder, false);
        }

        static Option repeated(String name, String placeholder) {
            return new Option(name, placeholder, true);
        }
    }

    static final Option HELP = Option.flag("--help");
    static final Option PORT = Option.value("--port", "N");
    static final Option URL = Option.value("--url", "URL");

    /** How the command is typed, for the hint under an error: "passsafe", "passsafe get". */
    final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    final List<String> operands = new ArrayList<>();
    /** What follows {@code --}, for a command that runs another; null when there is no {@code --}. */
    final List<String> rest;

    private CommandLine(String command, List<Option> options, boolean takesRest, String[] args) throws Failure {
        this.command = command;
        List<String> after = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (takesRest && arg.equals("--")) {
                after = List.copyOf(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                operands.add(arg);
                continue;
            }
            int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (takesRest && !operands.isEmpty()) {
                // "passsafe exec psql -h db": the command's own option, before the -- that would have passed it on.
                throw Failure.usage(Text.unknownOption(name), Text.afterDoubleDash(command));
            }
            Option option = find(options, name.equals("-h") ? HELP.name : name);
            String value;
            if (option.placeholder == null) {
                if (equals >= 0) {
                    throw usage(Text.takesNoValue(option.name));
                }
                value = "";
            } else if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw usage(Text.needsValue(option.name, option.placeholder));
            }
            List<String> given = values.computeIfAbsent(option.name, key -> new ArrayList<>());
            if (!given.isEmpty() && !option.repeats) {
                throw usage(Text.givenTwice(option.name));
            }
            given.add(value);
        }
        this.rest = after;
    }

    /** Parses {@code args} for {@code command}, which takes {@code options}, and {@code -- ARGS} when {@code takesRest}. */
    static CommandLine parse(String command, List<Option> options, boolean takesRest, String... args) throws Failure {
        return new CommandLine(command, options, takesRest, args);
    }

    private Option find(List<Option> options, String name) throws Failure {
        for (Option option : options) {
            if (option.name.equals(name)) {
                return option;
            }
        }
        throw usage(Text.unknownOption(name));
    }

    boolean has(Option option) {
        return values.containsKey(option.name);
    }

    String value(Option option) {
        List<String> given = values.get(option.name);
        return given == null ? null : given.get(0);
    }

    List<String> values(Option option) {
        return values.getOrDefault(option.name, List.of());
    }

    void exclusive(Option first, Option second) throws Failure {
        if (has(first) && has(second)) {
            throw usage(Text.together(first.name, second.name));
        }
    }

    /** The option's whole-number value in [min, max], or {@code absent} when it is not given. */
    int number(Option option, int min, int max, int absent) throws Failure {
        String text = value(option);
        if (text == null) {
            return absent;
        }
        if (!NUMBER.matcher(text).matches() || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw usage(Text.wholeNumber(option.name, min, max));
        }
        return Integer.parseInt(text);
    }

    Duration duration(Option option) throws Failure {
        String text = value(option);
        if (text == null) {
            return null;
        }
        Duration duration = Durations.parse(text);
        if (duration == null) {
            throw usage(Text.takesDuration(option.name));
        }
        return duration;
    }

    Failure usage(String message) {
        return Failure.usage(message, Text.helpHint(command));
    }
}
