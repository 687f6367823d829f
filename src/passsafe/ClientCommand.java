package passsafe;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code passsafe get|exec|status|stop}: the same jar as a command-line client, so a shell, psql,
 * R or Python can be handed the secret without it entering code, history or files.
 */
final class ClientCommand {
    static final Set<String> NAMES = Set.of("get", "exec", "status", "stop", "help");
    static final String DEFAULT_VARIABLE = "PASSSAFE_PASSWORD";
    private static final String COMMON = "[--port N | --url URL]";
    static final String USAGE = String.join("\n",
            "usage: passsafe get " + COMMON + " [SECRET]",
            "       passsafe exec " + COMMON + " [--env VAR[=SECRET]]... -- COMMAND [ARG...]",
            "       passsafe status " + COMMON,
            "       passsafe stop " + COMMON,
            "",
            "  get      print the secret (or the named SECRET) on standard output, for",
            "           PGPASSWORD=\"$(passsafe get)\"; a newline follows it only on a terminal",
            "  exec     run COMMAND with the secret in environment variable VAR (default " + DEFAULT_VARIABLE + "),",
            "           or each named SECRET in its VAR, exiting with the command's status; never printed",
            "  status   show whether a safe serves, its time left, retrievals and attempts left; no token needed",
            "  stop     wipe the safe and end its server now (asks for the token)",
            "",
            "The passphrase and token come from " + Credentials.PASSPHRASE + " and " + Credentials.TOKEN + " when set,",
            "otherwise they are asked for on the terminal without echo; never from arguments.",
            "The server is --url URL, or --port N on localhost, or " + Credentials.URL + ", or " + Protocol.DEFAULT_URL + ".",
            "",
            "exit status: 0 ok, 1 failure, 2 usage error; exec exits with the command's status",
            "");

    private final int minIterations;
    private final Credentials credentials;
    private final Terminal terminal;

    ClientCommand(int minIterations, Credentials credentials, Terminal terminal) {
        this.minIterations = minIterations;
        this.credentials = credentials;
        this.terminal = terminal;
    }

    /** A parsed client command line. */
    private static final class Args {
        String url;
        int port = -1;
        String secret = Names.DEFAULT;
        /** For exec: environment variable to secret name, in order. */
        final Map<String, String> variables = new LinkedHashMap<>();
        boolean help;
        final List<String> command = new ArrayList<>();
    }

    int run(String[] args) throws Failure {
        String name = args[0];
        if (name.equals("help")) {
            terminal.print(Options.USAGE + "\n" + USAGE);
            return 0;
        }
        Args parsed = parse(name, Arrays.copyOfRange(args, 1, args.length));
        if (parsed.help) {
            terminal.print(USAGE);
            return 0;
        }
        String url = credentials.url(parsed.url, parsed.port);
        try {
            switch (name) {
                case "get":
                    return get(url, parsed.secret);
                case "exec":
                    return exec(url, parsed);
                case "status":
                    return status(url);
                default:
                    return stop(url);
            }
        } catch (PasssafeException e) {
            throw Failure.of(e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            throw Failure.input(e.getMessage(), "use --url http://localhost:PORT or --port N");
        }
    }

    private static Args parse(String name, String[] args) throws Failure {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--") && name.equals("exec")) {
                parsed.command.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            switch (arg) {
                case "--help":
                case "-h":
                    parsed.help = true;
                    break;
                case "--url":
                    parsed.url = value(args, ++i, arg);
                    break;
                case "--port":
                    parsed.port = port(value(args, ++i, arg));
                    break;
                case "--env":
                    if (!name.equals("exec")) {
                        throw usage("--env goes with exec only");
                    }
                    variable(value(args, ++i, arg), parsed.variables);
                    break;
                default:
                    if (name.equals("get") && !arg.startsWith("-") && parsed.secret.equals(Names.DEFAULT) && Names.valid(arg)) {
                        parsed.secret = arg;
                        break;
                    }
                    throw usage(arg.startsWith("-") ? "unknown option " + Failure.shown(arg) + " for " + name
                            : name + " takes no arguments" + (name.equals("exec") ? " before --" : name.equals("get") ? " but one secret's name" : "")
                            + "; the passphrase and token come from the environment or the terminal");
            }
        }
        if (parsed.url != null && parsed.port > 0) {
            throw usage("--port and --url cannot be used together: give one");
        }
        if (name.equals("exec") && parsed.command.isEmpty() && !parsed.help) {
            throw usage("exec needs a command after --, such as: passsafe exec --env PGPASSWORD -- psql -h db");
        }
        return parsed;
    }

    private static String value(String[] args, int i, String option) throws Failure {
        if (i >= args.length || args[i].startsWith("--")) {
            throw usage(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String text) throws Failure {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw usage("--port takes a whole number from 1 to 65535");
        }
        return Integer.parseInt(text);
    }

    /** {@code VAR} or {@code VAR=SECRET} into {@code variables}. */
    private static void variable(String spec, Map<String, String> variables) throws Failure {
        int equals = spec.indexOf('=');
        String variable = equals < 0 ? spec : spec.substring(0, equals);
        String secret = equals < 0 ? Names.DEFAULT : spec.substring(equals + 1);
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw usage("--env takes an environment variable name, such as PGPASSWORD, or VAR=SECRET");
        }
        if (!Names.valid(secret)) {
            throw usage("--env " + variable + "=SECRET takes a secret's name of a-z, 0-9, '_' and '-'");
        }
        if (variables.put(variable, secret) != null) {
            throw usage("--env " + variable + " is given twice");
        }
    }

    private static Failure usage(String message) {
        return Failure.usage(message, USAGE);
    }

    private Client client(String url) throws Failure {
        char[] passphrase = credentials.passphrase();
        try {
            return new Client(passphrase, credentials.token(), url, minIterations);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private int get(String url, String name) throws Failure {
        try (Client client = client(url)) {
            char[] secret = client.passwordChars(name);
            terminal.printSecret("", secret, terminal.isTty());
            Arrays.fill(secret, '\0');
            return 0;
        }
    }

    private int exec(String url, Args args) throws Failure {
        String program = args.command.get(0);
        if (!runnable(program)) {
            throw Failure.of("cannot start " + Failure.shown(program) + ": no such executable" + (program.contains("/") ? "" : " on PATH"),
                    "check the command after --; the safe was not asked for the secret");
        }
        ProcessBuilder builder = new ProcessBuilder(args.command).inheritIO();
        Map<String, String> childEnv = builder.environment();
        // The command needs the secret, not the means to fetch it again.
        childEnv.remove(Credentials.PASSPHRASE);
        childEnv.remove(Credentials.TOKEN);
        Map<String, String> variables = args.variables.isEmpty() ? Map.of(DEFAULT_VARIABLE, Names.DEFAULT) : args.variables;
        try (Client client = client(url)) {
            // Every secret is fetched before the command starts: a refusal leaves it unstarted.
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                char[] secret = client.passwordChars(variable.getValue());
                // A child's environment takes only Strings: this copy lives until the JVM exits.
                childEnv.put(variable.getKey(), new String(secret));
                Arrays.fill(secret, '\0');
            }
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw Failure.of("cannot start " + Failure.shown(program) + ": " + e.getMessage(), null);
        }
        childEnv.clear();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw Failure.of("interrupted while " + Failure.shown(program) + " ran", null);
        }
    }

    /** Whether {@code program} names an executable file, directly or on PATH. */
    private static boolean runnable(String program) {
        if (program.contains(File.separator)) {
            return new File(program).canExecute();
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            File candidate = new File(dir.isEmpty() ? "." : dir, program);
            if (candidate.isFile() && candidate.canExecute()) {
                return true;
            }
        }
        return false;
    }

    private int status(String url) {
        Transport transport = new Transport(url);
        Map<String, String> fields = fields(transport.send("GET", Protocol.STATUS_PATH, null).ok());
        String state = fields.getOrDefault("state", "unknown");
        terminal.println("passsafe at " + transport.url + ": " + state);
        if (!state.equals("expired") && !state.equals("stopped") && !state.equals("interrupted")) {
            terminal.println("  time left:      " + duration(fields.getOrDefault("seconds-left", "0")));
        }
        terminal.println("  retrievals:     " + fields.getOrDefault("retrievals", "?"));
        if (fields.containsKey("uses-left") && !fields.get("uses-left").equals("unlimited")) {
            terminal.println("  uses left:      " + fields.get("uses-left"));
        }
        terminal.println("  attempts left:  " + fields.getOrDefault("attempts-left", "?"));
        if (state.equals("locked")) {
            terminal.println("  three invalid tokens were tried: someone may have tried to guess the token; start a new safe");
        }
        return 0;
    }

    private static Map<String, String> fields(byte[] body) {
        Map<String, String> fields = new LinkedHashMap<>();
        String[] lines = new String(body, StandardCharsets.US_ASCII).split("\n");
        if (lines.length == 0 || !lines[0].equals("passsafe-status 1")) {
            throw new PasssafeException.UnsupportedServer("its status is not passsafe-status 1");
        }
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(space + 1).matches("[a-z0-9-]{1,20}")) {
                fields.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return fields;
    }

    private static String duration(String seconds) {
        long s = seconds.matches("[0-9]{1,9}") ? Long.parseLong(seconds) : 0;
        return s >= 3600 ? String.format("%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format("%dm %02ds", s / 60, s % 60);
    }

    private int stop(String url) throws Failure {
        Transport transport = new Transport(url);
        transport.send("POST", Protocol.STOP_PATH, credentials.token()).ok();
        terminal.println("passsafe: the safe at " + transport.url + " is stopped and its password wiped");
        return 0;
    }
}
