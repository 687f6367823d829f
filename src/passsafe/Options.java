package passsafe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The server's command line. */
final class Options {
    static final Duration DEFAULT_DURATION = Duration.ofMinutes(60);
    static final int MAX_USES = 1_000_000;
    static final int MAX_SECRETS = 16;

    static final String USAGE = String.join("\n",
            "usage: passsafe [--duration D] [--secret NAME]... [--uses N] [--idle D] [--port N]",
            "       passsafe get | exec | status | stop ...   (passsafe help for these)",
            "       passsafe --help | --version",
            "",
            "Keeps a password (or several named secrets) in memory, encrypted, for a while and hands it",
            "to passsafe.Client. Asks for the storage duration and each secret (hidden); reads them, one",
            "line each, from standard input when it is not a terminal. Secrets are never arguments.",
            "",
            "options:",
            "  --duration D    how long the safe lives: 30 (minutes), 90s, 45m or 1h30m, from 1 minute",
            "                  to 8 hours (default: asked; Enter means 60 minutes); --minutes D is the same",
            "  --secret NAME   store a secret under NAME (a-z, 0-9, '_', '-'); repeat for several;",
            "                  without it the safe holds one secret, the password",
            "  --uses N        wipe the safe after N successful retrievals (1: a one-time hand-off)",
            "  --idle D        wipe the safe after D without a successful retrieval",
            "  --port N        port on the loopback address, 1 to 65535 (default: " + Protocol.DEFAULT_PORT + ")",
            "  --help          print this help and exit",
            "  --version       print the version and exit",
            "",
            "The safe ends at whichever limit comes first, and says which.",
            "exit status: 0 the safe ended or help was shown, 1 failure, 2 usage error",
            "");

    /** Null when the duration is to be asked for. */
    final Duration duration;
    final int port;
    /** The secrets' names; just {@link Names#DEFAULT} without --secret. */
    final List<String> secrets;
    /** 0 for no limit. */
    final int uses;
    /** Null for no idle limit. */
    final Duration idle;
    final boolean help;
    final boolean version;

    private Options(Builder b) {
        this.duration = b.duration;
        this.port = b.port == -1 ? Protocol.DEFAULT_PORT : b.port;
        this.secrets = b.secrets.isEmpty() ? List.of(Names.DEFAULT) : Collections.unmodifiableList(b.secrets);
        this.uses = b.uses;
        this.idle = b.idle;
        this.help = b.help;
        this.version = b.version;
    }

    /** Whether the safe holds named secrets rather than the one password. */
    boolean named() {
        return !secrets.equals(List.of(Names.DEFAULT)) || secrets.size() > 1;
    }

    private static final class Builder {
        Duration duration;
        String durationOption;
        int port = -1;
        final List<String> secrets = new ArrayList<>();
        int uses;
        Duration idle;
        boolean help;
        boolean version;
    }

    static Options parse(String... args) throws Failure {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String option = arg.startsWith("--") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = option.equals(arg) ? null : arg.substring(option.length() + 1);
            switch (option) {
                case "--help":
                case "-h":
                    b.help = true;
                    continue;
                case "--version":
                    b.version = true;
                    continue;
                default:
                    break;
            }
            if (!option.matches("--(minutes|duration|port|secret|uses|idle)")) {
                throw unknown(arg);
            }
            String value = inline != null ? inline : value(args, ++i, option);
            switch (option) {
                case "--minutes":
                case "--duration":
                    if (b.durationOption != null) {
                        throw usage(b.durationOption.equals(option) ? option + " is given twice" : "--minutes and --duration cannot be used together: give one");
                    }
                    b.durationOption = option;
                    b.duration = duration(option, value);
                    break;
                case "--port":
                    once(option, b.port != -1);
                    b.port = number(option, value, 1, 65535);
                    break;
                case "--secret":
                    b.secrets.add(secret(value, b.secrets));
                    break;
                case "--uses":
                    once(option, b.uses != 0);
                    b.uses = number(option, value, 1, MAX_USES);
                    break;
                default:
                    once(option, b.idle != null);
                    b.idle = duration(option, value);
                    break;
            }
        }
        return new Options(b);
    }

    private static String value(String[] args, int i, String option) throws Failure {
        if (i >= args.length || args[i].startsWith("--")) {
            throw usage(option + " needs a value: " + option + (option.equals("--secret") ? " NAME" : option.equals("--port") || option.equals("--uses") ? " N" : " D"));
        }
        return args[i];
    }

    private static Duration duration(String option, String text) throws Failure {
        Duration duration = Durations.parse(text);
        if (duration == null) {
            throw usage(option + " takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours");
        }
        return duration;
    }

    private static int number(String option, String text, int min, int max) throws Failure {
        if (!text.matches("[0-9]{1,7}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw usage(option + " takes a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(text);
    }

    private static String secret(String name, List<String> seen) throws Failure {
        if (!Names.valid(name)) {
            throw usage("--secret takes a name of 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        if (seen.contains(name)) {
            throw usage("--secret " + name + " is given twice");
        }
        if (seen.size() == MAX_SECRETS) {
            throw usage("a safe holds at most " + MAX_SECRETS + " secrets");
        }
        return name;
    }

    private static void once(String option, boolean seen) throws Failure {
        if (seen) {
            throw usage(option + " is given twice");
        }
    }

    private static Failure usage(String message) {
        return Failure.usage(message, USAGE);
    }

    private static Failure unknown(String arg) {
        if (!arg.startsWith("-")) {
            // Never echo a stray argument: it may be a password typed in the wrong place.
            return usage("passsafe takes no arguments besides its options and commands;"
                    + " the password is asked for, never given on the command line");
        }
        return usage("unknown option " + Failure.shown(arg));
    }
}
