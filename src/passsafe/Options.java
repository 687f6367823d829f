package passsafe;

/** The server's command line: {@code [--minutes N] [--port N] | --help | --version}. */
final class Options {
    static final int DEFAULT_MINUTES = 60;
    static final int MAX_MINUTES = 480;
    static final String DURATION_RULE = "the storage duration is a whole number of minutes from 1 to " + MAX_MINUTES;

    static final String USAGE = String.join("\n",
            "usage: passsafe [--minutes N] [--port N]",
            "       passsafe get | exec | status | stop ...   (passsafe help for these)",
            "       passsafe --help | --version",
            "",
            "Keeps one password in memory, encrypted, for N minutes and hands it to passsafe.Client.",
            "Asks for the storage duration and the password (hidden); reads both, one line each,",
            "from standard input when it is not a terminal. The password is never an argument.",
            "",
            "options:",
            "  --minutes N   storage duration, 1 to " + MAX_MINUTES + " minutes (default: asked; Enter means " + DEFAULT_MINUTES + ")",
            "  --port N      port on the loopback address, 1 to 65535 (default: " + Protocol.DEFAULT_PORT + ")",
            "  --help        print this help and exit",
            "  --version     print the version and exit",
            "",
            "exit status: 0 the safe expired or help was shown, 1 failure, 2 usage error",
            "");

    /** 0 when the duration is to be asked for. */
    final int minutes;
    final int port;
    final boolean help;
    final boolean version;

    private Options(int minutes, int port, boolean help, boolean version) {
        this.minutes = minutes;
        this.port = port;
        this.help = help;
        this.version = version;
    }

    static Options parse(String... args) throws Failure {
        int minutes = 0;
        int port = -1;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (option) {
                case "--help":
                case "-h":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                case "--minutes":
                    checkOnce(option, minutes != 0);
                    minutes = number(value(args, i, option), 1, MAX_MINUTES);
                    i += arg.equals(option) ? 1 : 0;
                    if (minutes < 0) {
                        throw Failure.usage("--minutes takes a whole number from 1 to " + MAX_MINUTES, USAGE);
                    }
                    break;
                case "--port":
                    checkOnce(option, port != -1);
                    port = number(value(args, i, option), 1, 65535);
                    i += arg.equals(option) ? 1 : 0;
                    if (port < 0) {
                        throw Failure.usage("--port takes a whole number from 1 to 65535", USAGE);
                    }
                    break;
                default:
                    throw unknown(arg);
            }
        }
        return new Options(minutes, port == -1 ? Protocol.DEFAULT_PORT : port, help, version);
    }

    /** Whole minutes in 1..{@link #MAX_MINUTES}; blank means the default; -1 when invalid. */
    static int minutes(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? DEFAULT_MINUTES : number(trimmed, 1, MAX_MINUTES);
    }

    private static int number(String text, int min, int max) {
        if (!text.matches("[0-9]{1,6}")) {
            return -1;
        }
        int n = Integer.parseInt(text);
        return n >= min && n <= max ? n : -1;
    }

    private static String value(String[] args, int i, String option) throws Failure {
        String arg = args[i];
        if (!arg.equals(option)) {
            return arg.substring(option.length() + 1);
        }
        if (i + 1 == args.length || args[i + 1].startsWith("--")) {
            throw Failure.usage(option + " needs a value: " + option + " N", USAGE);
        }
        return args[i + 1];
    }

    private static void checkOnce(String option, boolean seen) throws Failure {
        if (seen) {
            throw Failure.usage(option + " is given twice", USAGE);
        }
    }

    private static Failure unknown(String arg) {
        if (!arg.startsWith("-")) {
            // Never echo a stray argument: it may be a password typed in the wrong place.
            return Failure.usage("passsafe takes no arguments besides its options and commands;"
                    + " the password is asked for, never given on the command line", USAGE);
        }
        String shown = arg.length() <= 40 && arg.matches("[-A-Za-z0-9=]*") ? arg : "(unprintable)";
        return Failure.usage("unknown option " + shown, USAGE);
    }
}
