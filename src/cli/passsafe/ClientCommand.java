package passsafe;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * {@code passsafe get|exec|status|stop}: the same jar as a command-line client, so a shell, psql,
 * R or Python can be handed the secret without it entering code, history or files.
 */
final class ClientCommand {
    static final Set<String> NAMES = Set.copyOf(Text.COMMANDS.subList(0, 7));
    static final String DEFAULT_VARIABLE = "PASSSAFE_PASSWORD";
    private static final CommandLine.Option ENV = CommandLine.Option.repeated("--env", "VAR[=SECRET]");
    private static final CommandLine.Option FILE = CommandLine.Option.repeated("--file", "VAR[=SECRET]");
    private static final CommandLine.Option JSON = CommandLine.Option.flag("--json");
    /** The secret a command is for, named as the server's {@code --secret} names it. */
    private static final CommandLine.Option SECRET = CommandLine.Option.value("--secret", "NAME");
    private static final CommandLine.Option FROM_FILE = CommandLine.Option.value("--from-file", "PATH");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final Locator locator;
    private final Terminal terminal;
    /** Asks for the new value of a secret, for {@code set}. */
    private final Questions questions;
    /** The environment passsafe was started with: where {@code exec --file} finds a memory-backed directory. */
    private final Map<String, String> env;

    ClientCommand(Locator locator, Terminal terminal, Questions questions, Map<String, String> env) {
        this.env = env;
        this.locator = locator;
        this.terminal = terminal;
        this.questions = questions;
    }

    int run(String name, String[] args) throws Failure {
        boolean exec = name.equals("exec");
        List<CommandLine.Option> options = exec ? List.of(CommandLine.PORT, CommandLine.URL, ENV, FILE, CommandLine.HELP)
                : name.equals("status") ? List.of(CommandLine.PORT, CommandLine.URL, JSON, CommandLine.HELP)
                : name.equals("list") ? List.of(JSON, CommandLine.HELP)
                : name.equals("stop") ? List.of(CommandLine.PORT, CommandLine.URL, CommandLine.HELP)
                : name.equals("set") ? List.of(CommandLine.PORT, CommandLine.URL, SECRET, FROM_FILE, CommandLine.HELP)
                : List.of(CommandLine.PORT, CommandLine.URL, SECRET, CommandLine.HELP);
        CommandLine line = CommandLine.parse("passsafe " + name, options, exec, args);
        if (line.has(CommandLine.HELP)) {
            terminal.print(Usage.of(name));
            return 0;
        }
        if (name.equals("list")) {
            noOperands(line, "");
            return list(line.has(JSON));
        }
        line.exclusive(CommandLine.PORT, CommandLine.URL);
        LoopbackUrl given = given(line);
        try {
            switch (name) {
                case "get":
                    return get(given, secretName(line));
                case "set":
                    return set(given, secretName(line), line.value(FROM_FILE));
                case "reject":
                    return reject(given, secretName(line));
                case "exec":
                    Map<String, String> files = assignments(line, FILE, "GOOGLE_APPLICATION_CREDENTIALS", Map.of());
                    Map<String, String> variables = assignments(line, ENV, "PGPASSWORD", files);
                    return exec(given, command(line), variables.isEmpty() && files.isEmpty() ? Map.of(DEFAULT_VARIABLE, Names.DEFAULT) : variables, files);
                case "status":
                    noOperands(line, "");
                    return status(given, line.has(JSON));
                default:
                    noOperands(line, "");
                    return stop(given);
            }
        } catch (PasssafeException e) {
            throw Failure.of(e.getMessage(), null);
        } catch (IllegalArgumentException malformed) {
            // A variable's value, or what was typed three times: the message names which, never the value.
            throw Failure.usage(malformed.getMessage(), null);
        }
    }

    /** The safe {@code --url} or {@code --port} names, checked before anything is asked or sent; null for neither. */
    private static LoopbackUrl given(CommandLine line) throws Failure {
        int port = line.number(CommandLine.PORT, 1, 65535, 0);
        try {
            return line.value(CommandLine.URL) != null ? LoopbackUrl.parse(line.value(CommandLine.URL)) : port > 0 ? LoopbackUrl.localhost(port) : null;
        } catch (IllegalArgumentException e) {
            throw Text.badUrl(e.getMessage());
        }
    }

    private static String secretName(CommandLine line) throws Failure {
        noOperands(line, "");
        String name = line.value(SECRET);
        if (name == null) {
            return Names.DEFAULT;
        }
        if (!Names.valid(name)) {
            throw line.usage(Text.takesName(SECRET.name));
        }
        return name;
    }

    private static void noOperands(CommandLine line, String allowed) throws Failure {
        if (!line.operands.isEmpty()) {
            throw line.usage(Text.noArguments(line.command.substring("passsafe ".length()), allowed));
        }
    }

    private static List<String> command(CommandLine line) throws Failure {
        noOperands(line, " before --");
        if (line.rest == null || line.rest.isEmpty()) {
            throw line.usage(Text.EXEC_NEEDS_COMMAND);
        }
        return line.rest;
    }

    /**
     * Each {@code --env VAR[=SECRET]} or {@code --file VAR[=SECRET]}: environment variable to secret
     * name, in order; a variable given twice, in either option ({@code earlier}), is refused.
     */
    private static Map<String, String> assignments(CommandLine line, CommandLine.Option option, String example, Map<String, String> earlier)
            throws Failure {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String spec : line.values(option)) {
            int equals = spec.indexOf('=');
            String variable = equals < 0 ? spec : spec.substring(0, equals);
            String secret = equals < 0 ? Names.DEFAULT : spec.substring(equals + 1);
            if (!VARIABLE.matcher(variable).matches()) {
                throw line.usage(Text.variableName(option.name, example));
            }
            if (!Names.valid(secret)) {
                throw line.usage(Text.envSecretName(option.name, variable));
            }
            if (earlier.containsKey(variable) || variables.put(variable, secret) != null) {
                throw line.usage(Text.givenTwice(option.name + " " + variable));
            }
        }
        return variables;
    }

    private int get(LoopbackUrl given, String name) {
        try (Client client = locator.client(given, false)) {
            byte[] secret = client.fetch(name, false).bytes;
            try {
                // Byte for byte, a key or a file as well as a password: a newline only for a person reading a terminal.
                terminal.printBytes(secret, terminal.isTty());
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
            return 0;
        }
    }

    /** Asks for the new value once the safe and its credentials are found, so nothing is typed for a safe that is not there. */
    private int set(LoopbackUrl given, String name, String file) throws Failure {
        String refusal = file == null ? null : SecretFile.refusal(Path.of(file));
        if (refusal != null) {
            throw Failure.of(refusal, null);
        }
        try (Client client = locator.client(given, false)) {
            if (file != null) {
                client.replace(name, SecretFile.read(Path.of(file)));
            } else {
                char[] secret = questions.secret(name, !name.equals(Names.DEFAULT));
                try {
                    client.replace(name, secret);
                } finally {
                    Arrays.fill(secret, '\0');
                }
            }
            terminal.println(Text.replaced(name, client.url().toString()));
            return 0;
        }
    }

    private int reject(LoopbackUrl given, String name) {
        try (Client client = locator.client(given, false)) {
            client.reject(name, null);
            terminal.println(Text.rejectedNow(name));
            return 0;
        }
    }

    /**
     * Runs {@code command} with each of {@code variables} holding its secret, and each of
     * {@code files} the path of a file in memory holding its secret's exact bytes, removed when the
     * command ends (or this process is ended by a signal).
     */
    private int exec(LoopbackUrl given, List<String> command, Map<String, String> variables, Map<String, String> files) throws Failure {
        String program = command.get(0);
        if (!runnable(program)) {
            throw Text.cannotStart(program, !program.contains(File.separator));
        }
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> childEnv = builder.environment();
        // The command needs the secret, not the means to fetch it again.
        childEnv.remove(Locator.PASSPHRASE);
        childEnv.remove(Locator.TOKEN);
        childEnv.remove(Locator.CREDENTIALS_FD);
        childEnv.remove("PASSSAFE_LAUNCHER");
        try (Client client = locator.client(given, false); MemoryFiles memory = files.isEmpty() ? null : MemoryFiles.create(env)) {
            // Every secret is fetched before the command starts: a refusal leaves it unstarted.
            Map<String, String> onTrial = new LinkedHashMap<>();
            Map<String, Path> written = new LinkedHashMap<>();
            for (Map.Entry<String, String> file : files.entrySet()) {
                String name = file.getValue();
                if (!written.containsKey(name)) {
                    Fetched fetched = client.fetch(name, true);
                    written.put(name, write(memory, name, fetched.bytes));
                    if (fetched.trial) {
                        onTrial.put(name, fetched.version);
                    }
                }
                childEnv.put(file.getKey(), written.get(name).toString());
            }
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                Fetched fetched = client.fetch(variable.getValue(), true);
                // A child's environment takes only Strings: this copy lives until the JVM exits.
                char[] chars = fetched.chars(variable.getValue());
                childEnv.put(variable.getKey(), new String(chars));
                Arrays.fill(chars, '\0');
                if (fetched.trial) {
                    onTrial.put(variable.getValue(), fetched.version);
                }
            }
            int status = run(builder, program, memory);
            if (status == 0) {
                // The command worked, and most likely with the secret: other consumers need not wait for it.
                for (Map.Entry<String, String> trial : onTrial.entrySet()) {
                    try {
                        client.accept(trial.getKey(), trial.getValue());
                    } catch (PasssafeException unreported) {
                        // The safe ends the trial after a few seconds by itself.
                    }
                }
            }
            return status;
        }
    }

    private static Path write(MemoryFiles memory, String name, byte[] bytes) throws Failure {
        try {
            return memory.write(name, bytes);
        } catch (IOException e) {
            throw Failure.of(Text.cannotWriteFile(name, e), null);
        }
    }

    /**
     * Runs the command to its end. A signal that ends this process (Ctrl-C, {@code SIGTERM},
     * {@code SIGHUP}) ends the command too and removes {@code memory}'s files (null: none) first.
     */
    private static int run(ProcessBuilder builder, String program, MemoryFiles memory) throws Failure {
        // Registered before the command starts, and the start under the same lock: a signal at any moment ends both.
        AtomicReference<Process> started = new AtomicReference<>();
        Thread onSignal = new Thread(() -> {
            synchronized (started) {
                if (started.get() != null) {
                    started.get().destroy();
                }
            }
            if (memory != null) {
                memory.close();
            }
        }, "exec-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            throw Text.interruptedWhile(program);
        }
        try {
            Process process;
            synchronized (started) {
                try {
                    process = builder.start();
                } catch (IOException e) {
                    throw Text.cannotStart(program, e);
                } finally {
                    builder.environment().clear();
                }
                started.set(process);
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            started.get().destroy();
            Thread.currentThread().interrupt();
            throw Text.interruptedWhile(program);
        } finally {
            // Removed first, then the hook: a signal arriving now finds the files gone already.
            if (memory != null) {
                memory.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is doing it
            }
        }
    }

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

    private int list(boolean json) {
        List<Locator.Found> running = locator.running();
        if (json) {
            StringBuilder array = new StringBuilder("[");
            for (Locator.Found safe : running) {
                array.append(array.length() == 1 ? "" : ",").append(safe.status.json(safe.url.toString()));
            }
            terminal.println(array.append(']').toString());
            return 0;
        }
        if (running.isEmpty()) {
            terminal.println(Text.NONE_RUNNING);
        }
        for (Locator.Found safe : running) {
            terminal.println(Text.listed(safe.url.toString(), safe.status));
        }
        return 0;
    }

    private int status(LoopbackUrl given, boolean json) {
        Locator.Found safe = locator.safe(given);
        safe.transport.close();
        Protocol.Status status = safe.status;
        String url = safe.url.toString();
        if (json) {
            terminal.println(status.json(url));
            return 0;
        }
        terminal.println(Text.statusHeading(url, status.state.code()));
        if (status.state == State.OPEN) {
            terminal.println(Text.statusLine("time left", Durations.clock(Duration.ofSeconds(status.secondsLeft))));
        }
        terminal.println(Text.statusLine("retrievals", Integer.toString(status.retrievals)));
        if (status.usesLeft >= 0) {
            terminal.println(Text.statusLine("uses left", Integer.toString(status.usesLeft)));
        }
        terminal.println(Text.statusLine("attempts left", Integer.toString(status.attemptsLeft)));
        if (status.pid > 0) {
            terminal.println(Text.statusLine("process", Long.toString(status.pid)));
        }
        if (status.rejected > 0) {
            terminal.println(Text.statusLine("rejected", Text.rejectedCount(status.rejected)));
        }
        if (status.state == State.LOCKED) {
            terminal.println(Text.STATUS_LOCKED);
        }
        return 0;
    }

    private int stop(LoopbackUrl given) {
        try (Client client = locator.client(given, true)) {
            client.stop();
            terminal.println(Text.stoppedSafe(client.url().toString()));
            return 0;
        }
    }
}
