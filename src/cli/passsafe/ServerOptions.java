package passsafe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The server's command line: {@code passsafe [--duration D] [--secret NAME]... [--uses N] [--idle D] [--port N]}. */
final class ServerOptions {
    static final Duration DEFAULT_DURATION = Duration.ofMinutes(60);
    static final int MAX_USES = 1_000_000;
    static final int MAX_SECRETS = 16;

    private static final CommandLine.Option DURATION = CommandLine.Option.value("--duration", "D");
    private static final CommandLine.Option MINUTES = CommandLine.Option.value("--minutes", "D");
    private static final CommandLine.Option SECRET = CommandLine.Option.repeated("--secret", "NAME");
    private static final CommandLine.Option FROM_FILE = CommandLine.Option.repeated("--from-file", "[NAME=]PATH");
    private static final CommandLine.Option USES = CommandLine.Option.value("--uses", "N");
    private static final CommandLine.Option IDLE = CommandLine.Option.value("--idle", "D");
    private static final CommandLine.Option VERSION = CommandLine.Option.flag("--version");
    private static final CommandLine.Option SESSION = CommandLine.Option.flag("--session");
    static final String BACKGROUND_FLAG = "--background";
    private static final CommandLine.Option BACKGROUND = CommandLine.Option.flag(BACKGROUND_FLAG);
    private static final List<CommandLine.Option> OPTIONS =
            List.of(DURATION, MINUTES, SECRET, FROM_FILE, USES, IDLE, CommandLine.PORT, SESSION, BACKGROUND, CommandLine.HELP, VERSION);

    /** Null when the duration is to be asked for. */
    final Duration duration;
    /** 0 lets the system pick a free port. */
    final int port;
    /** The secrets' names; just {@link Names#DEFAULT} without --secret. */
    final List<String> secrets;
    /** The secrets read from a file rather than asked for, by name. */
    final Map<String, Path> files;
    /** 0 for no limit. */
    final int uses;
    /** Null for no idle limit. */
    final Duration idle;
    final boolean help;
    final boolean version;
    final boolean session;
    final boolean background;

    private ServerOptions(CommandLine line) throws Failure {
        if (!line.operands.isEmpty()) {
            String near = Text.nearestCommand(line.operands.get(0));
            throw near == null ? line.usage(Text.SERVER_NO_ARGUMENTS) : Failure.usage(Text.SERVER_NO_ARGUMENTS, Text.didYouMean(near));
        }
        line.exclusive(MINUTES, DURATION);
        this.duration = line.has(MINUTES) ? line.duration(MINUTES) : line.duration(DURATION);
        this.port = line.number(CommandLine.PORT, 0, 65535, Protocol.DEFAULT_PORT);
        this.secrets = secrets(line);
        this.files = files(line, secrets);
        this.uses = line.number(USES, 1, MAX_USES, 0);
        this.idle = line.duration(IDLE);
        this.help = line.has(CommandLine.HELP);
        this.version = line.has(VERSION);
        this.session = line.has(SESSION);
        this.background = line.has(BACKGROUND);
    }

    static ServerOptions parse(String... args) throws Failure {
        return new ServerOptions(CommandLine.parse("passsafe", OPTIONS, false, args));
    }

    private static List<String> secrets(CommandLine line) throws Failure {
        List<String> names = new ArrayList<>();
        for (String name : line.values(SECRET)) {
            if (!Names.valid(name)) {
                throw line.usage(Text.takesName(SECRET.name));
            }
            if (names.contains(name)) {
                throw line.usage(Text.givenTwice(SECRET.name + " " + name));
            }
            if (names.size() == MAX_SECRETS) {
                throw line.usage(Text.tooManySecrets(MAX_SECRETS));
            }
            names.add(name);
        }
        return names.isEmpty() ? List.of(Names.DEFAULT) : Collections.unmodifiableList(names);
    }

    /**
     * Each {@code --from-file [NAME=]PATH}: NAME may be left out when there is one secret. Each file
     * is checked now, so a wrong one is one line before anything is asked.
     */
    private static Map<String, Path> files(CommandLine line, List<String> secrets) throws Failure {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String spec : line.values(FROM_FILE)) {
            int equals = spec.indexOf('=');
            boolean named = equals > 0 && Names.valid(spec.substring(0, equals));
            String name = named ? spec.substring(0, equals) : secrets.size() == 1 ? secrets.get(0) : null;
            if (name == null) {
                throw line.usage(Text.FROM_FILE_WHICH);
            }
            if (!secrets.contains(name)) {
                throw line.usage(Text.fromFileNotASecret(name));
            }
            Path path = Path.of(named ? spec.substring(equals + 1) : spec);
            if (files.put(name, path) != null) {
                throw line.usage(Text.givenTwice(FROM_FILE.name + " for " + name));
            }
            String refusal = SecretFile.refusal(path);
            if (refusal != null) {
                throw Failure.of(refusal, null);
            }
        }
        return Collections.unmodifiableMap(files);
    }

    boolean named() {
        return !secrets.equals(List.of(Names.DEFAULT));
    }
}
