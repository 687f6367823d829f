package passsafe;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Every sentence the command line says: its errors and hints, the server command's prompts,
 * announcement, notes and end lines, the client commands' output. The library's and the server's
 * own texts live with their owners ({@link PasssafeException}, {@link Handler}, …); this is the
 * command line's home for its words, so the rule is kept in one place:
 * <ul>
 * <li>An error is one line, {@code passsafe: error: …}, lowercase, no final period, that names the
 * cause; a {@code passsafe: hint: …} line follows when the fix is known. Notes and warnings are
 * {@code passsafe: note: …} and {@code passsafe: warning: …}. All go to standard error.</li>
 * <li>Exit status 0 ok, 1 failure, 2 usage (a command line or input that cannot be used).</li>
 * <li>Never a secret, and never what the user typed unless {@link Printable} allows it: a stray
 * argument may be a password typed in the wrong place.</li>
 * <li>Each rule (names, durations, tokens, URLs) is quoted from its owner, never written again.</li>
 * </ul>
 */
final class Text {
    private Text() {}

    // ---- The server command: start-up, prompts, announcement, end.

    /** How the user started passsafe, for hints: what passsafe.sh says it was called, else the launcher's usual name. */
    static final String LAUNCHER = launcher(System.getenv("PASSSAFE_LAUNCHER"));

    private static String launcher(String name) {
        return name != null && name.matches("[A-Za-z0-9._-]{1,40}") ? name : "passsafe.sh";
    }

    static final String TCP_ONLY = "this JDK has no Unix-domain sockets (JDK 16+), so the safe serves TCP only, which other"
            + " users of this host can crowd; start it with a newer JDK (JAVA_HOME=... " + LAUNCHER + ") for the private socket";

    static final String NO_PROC_NET = "this system has no /proc/net, so passsafe cannot tell which user connects;"
            + " only the token guards the safe";
    static final String ATTACH_ENABLED = "other programs of your user can attach to this JVM and dump its memory;"
            + " start the server with " + LAUNCHER + ", or java -XX:+DisableAttachMechanism -jar passsafe.jar";

    static String durationPrompt(Duration byDefault) {
        return "Specify the storage duration in minutes (default=" + byDefault.toMinutes() + "): ";
    }

    static String secretPrompt(String name, boolean named) {
        return named ? "Enter the secret '" + name + "' to store: " : "Enter the user password to store: ";
    }

    static String secretWhat(String name, boolean named) {
        return named ? "the secret '" + name + "'" : "the password";
    }

    static Failure inputEndedBeforeDuration() {
        return Failure.usage("standard input ended before the storage duration", "give the duration and the password, one line each");
    }

    static Failure invalidPipedDuration() {
        return Failure.usage("the storage duration is not valid: " + Durations.RULE,
                "the first line of standard input is the duration, each next line a secret");
    }

    static String retryDuration() {
        return Durations.RULE + "; try again";
    }

    static Failure inputEndedBefore(String what) {
        return Failure.usage("standard input ended before " + what, "give the duration and each secret, one line each");
    }

    static Failure emptyPipedSecret(String what) {
        return Failure.usage("the line for " + what + " on standard input is empty", "put each secret on its own line after the duration");
    }

    static String retrySecret(String what) {
        return what + " is empty; type it again (it is not shown)";
    }

    static Failure cannotRead(String source, java.io.IOException e) {
        return Failure.of("cannot read " + source + ": " + e.getMessage(), null);
    }

    static Failure notUtf8(String source) {
        return Failure.usage("what came from " + source + " is not valid UTF-8", "set the terminal and LANG to UTF-8 (LANG=C.UTF-8), or pipe the secret as UTF-8");
    }

    static Failure notText(String what) {
        return Failure.usage(what + " is not valid text (it holds a lone UTF-16 surrogate)", "check how it was produced");
    }

    static final String LOGO = String.join("\n",
            "",
            "                               (",
            "           )                 ) )\\ )    (",
            " `  )   ( /(  (   (   (   ( /((()/(   ))\\",
            " /(/(   )(_)) )\\  )\\  )\\  )(_))/(_)) /((_)",
            "((_)_\\ ((_)_ ((_)((_)((_)((_)_(_) _|(_))",
            "| '_ \\)/ _` |(_-<(_-<(_-</ _` ||  _|/ -_)",
            "| .__/ \\__,_|/__//__//__/\\__,_||_|  \\___|",
            "|_|",
            "");

    static String stored(List<String> names, boolean named, Duration duration) {
        String period = Durations.describe(duration);
        return named ? "Your secrets " + String.join(", ", names) + " are stored in the safe for a period of " + period + "."
                : "Your password is stored in the safe for a period of " + period + ".";
    }

    static String usesLimit(int uses) {
        return "The safe wipes itself after " + uses + (uses == 1 ? " retrieval." : " retrievals.");
    }

    static String idleLimit(Duration idle) {
        return "The safe wipes itself after " + Durations.describe(idle) + " without a retrieval.";
    }

    static final String USE_BELOW = "Use the passphrase and token below in the client application:";
    static final String PASSPHRASE_HEADING = "Passphrase:";
    static final String TOKEN_HEADING = "Token:";
    static final String INDENT = "    ";

    static String sessionWritten(java.nio.file.Path file) {
        return "Session: this safe's key and token are also in " + file + ", which only you can read, for your own"
                + " programs (passsafe get, passsafe.Client.local()); it goes when the safe ends.";
    }

    static String serving(int port) {
        return "Serving on http://localhost:" + port;
    }

    static String wiped(boolean named) {
        return "the " + (named ? "secrets are" : "password is") + " wiped from memory";
    }

    static String ended(State state, String time, boolean named) {
        switch (state) {
            case STOPPED:
                return "The safe was stopped at " + time + ": " + wiped(named) + ".";
            case EXPIRED:
                return "The storage duration has expired: " + wiped(named) + ".";
            case LOCKED:
                return "The safe is locked after " + Token.MAX_ATTEMPTS + " invalid tokens: " + wiped(named) + ".";
            case USED_UP:
                return "The safe's uses are used up: " + wiped(named) + ".";
            case IDLE:
                return "The safe went unused for its idle time: " + wiped(named) + ".";
            default:
                return interrupted(named);
        }
    }

    static final String NO_SETSID = "--background needs /usr/bin/setsid, to run the safe in a session of its own";
    static final String NO_SETSID_HINT = "install util-linux, or run passsafe without --background in a terminal you keep open (tmux, screen)";

    static String cannotStartBackground(String why) {
        return "cannot start the safe in the background: " + why;
    }

    static String logGoesTo(java.nio.file.Path log) {
        return "Access lines go to " + log + " from now on, which only you can read.";
    }

    static String runsInBackground(long pid) {
        return "passsafe: the safe runs in the background (process " + pid + ") and outlives this terminal;"
                + " see it with passsafe status or passsafe list, stop it with passsafe stop.";
    }

    static final String NOT_STARTED = "passsafe: interrupted: the safe was not started, and nothing was stored";

    static String interrupted(boolean named) {
        return "passsafe: interrupted: " + wiped(named);
    }

    // ---- The command-line client.

    static final String INTERRUPTED = "interrupted";

    static Failure badUrl(String why) {
        return Failure.usage(why, "use --port N, or --url http://localhost:PORT");
    }

    static Failure cannotStart(String program, boolean onPath) {
        return Failure.of("cannot start " + shown(program) + ": no such executable" + (onPath ? " on PATH" : ""),
                "check the command after --; the safe was not asked for the secret");
    }

    static Failure cannotStart(String program, java.io.IOException e) {
        return Failure.of("cannot start " + shown(program) + ": " + e.getMessage(), null);
    }

    static Failure interruptedWhile(String program) {
        return Failure.of("interrupted while " + shown(program) + " ran", null);
    }

    static final String NONE_RUNNING = "no safe of yours is running that this JDK can see through its private socket;"
            + " start one with passsafe (a safe on JDK 11 to 15 serves TCP only: ask it with passsafe status --port N)";

    /** One running safe in passsafe list: "http://localhost:8051  open  process 4242  time left 29:41  retrievals 1  attempts left 3". */
    static String listed(String url, Protocol.Status status) {
        return url + "  " + status.state.code() + (status.pid > 0 ? "  process " + status.pid : "") + (status.secondsLeft > 0 ? "  time left " + Durations.clock(Duration.ofSeconds(status.secondsLeft)) : "")
                + "  retrievals " + status.retrievals + (status.usesLeft >= 0 ? "  uses left " + status.usesLeft : "")
                + "  attempts left " + status.attemptsLeft + (status.rejected > 0 ? "  rejected " + status.rejected : "");
    }

    static String replaced(String name, String url) {
        return "passsafe: secret " + name + " replaced in the safe at " + url + "; its passphrase, token, port and time left are unchanged";
    }

    static String rejectedNow(String name) {
        return "passsafe: secret " + name + " is handed to no one now, so no other program tries it on the database;"
                + " replace it with passsafe set" + (name.equals(Names.DEFAULT) ? "" : " --secret " + name);
    }

    static String rejectedCount(int rejected) {
        return rejected + (rejected == 1 ? " secret" : " secrets") + " the database refused: handed to no one until replaced with passsafe set";
    }

    static String statusHeading(String url, String state) {
        return "passsafe at " + url + ": " + state;
    }

    static String statusLine(String label, String value) {
        return String.format("  %-15s %s", label + ":", value);
    }

    static final String STATUS_LOCKED = "  " + Token.MAX_ATTEMPTS + " invalid tokens were tried: someone may have tried to guess the token; start a new safe";

    static String stoppedSafe(String url) {
        return "passsafe: the safe at " + url + " is stopped and its secrets wiped";
    }

    // ---- The command line itself.

    static String unknownOption(String option) {
        return "unknown option " + shown(option);
    }

    static String needsValue(String option, String placeholder) {
        return option + " needs a value: " + option + " " + placeholder;
    }

    static String takesNoValue(String option) {
        return option + " takes no value";
    }

    static String givenTwice(String option) {
        return option + " is given twice";
    }

    static String together(String first, String second) {
        return first + " and " + second + " cannot be used together: give one";
    }

    static String wholeNumber(String option, int min, int max) {
        return option + " takes a whole number from " + min + " to " + max;
    }

    static String takesDuration(String option) {
        return option + " takes a duration: " + Durations.FORMS;
    }

    static final String FROM_FILE_WHICH = "with several --secret, say which secret the file holds: --from-file NAME=PATH";

    static String fromFileNotASecret(String name) {
        return "--from-file " + name + "=PATH names no secret of the safe: add --secret " + name;
    }

    static String takesName(String option) {
        return option + " takes a name of " + Names.RULE;
    }

    static String tooManySecrets(int max) {
        return "a safe holds at most " + max + " secrets";
    }

    /** Never echoes a stray argument: it may be a password typed in the wrong place. */
    static final String SERVER_NO_ARGUMENTS = "passsafe takes no arguments besides its options and commands;"
            + " the password is asked for, never given on the command line";

    /** Where the credentials come from is said only to a command that takes them: a stray argument may be a passphrase. */
    static String noArguments(String command, String allowed) {
        String credentials = command.equals("stop") ? "; the token comes" : "; the passphrase and token come";
        return command + " takes no arguments" + allowed
                + (List.of("status", "list", "version").contains(command) ? "" : credentials + " from the session file, the environment or the terminal");
    }

    static final String EXEC_NEEDS_COMMAND = "exec needs a command after --, such as: passsafe exec --env PGPASSWORD -- psql -h db";
    static String variableName(String option, String example) {
        return option + " takes an environment variable name, such as " + example + ", or VAR=SECRET";
    }

    static final String NO_MEMORY_FILESYSTEM = "no memory-backed filesystem to put the file in: neither $XDG_RUNTIME_DIR nor /dev/shm is a tmpfs"
            + " of yours that no one else can swap; nothing was started (use --env, or ask the host's administrator for /dev/shm)";

    static String cannotWriteFile(String name, IOException e) {
        return "cannot write secret " + name + " to its file in memory: " + e.getClass().getSimpleName() + "; nothing was started";
    }

    static String envSecretName(String option, String variable) {
        return option + " " + variable + "=SECRET takes a secret's name of " + Names.RULE;
    }

    /** Every command, in the order help lists them: the one list. */
    static final List<String> COMMANDS = List.of("get", "exec", "set", "reject", "status", "stop", "list", "help", "version");

    /**
     * The command {@code typed} is fewest edits from, within two ({@code stpo}: {@code stop}), or null. What was
     * typed is never repeated: it may be a password in the wrong place.
     */
    static String nearestCommand(String typed) {
        String nearest = null;
        int fewest = 3;
        for (String command : COMMANDS) {
            int edits = typed.length() <= command.length() + 2 ? edits(typed, command) : fewest;
            if (edits < fewest) {
                nearest = command;
                fewest = edits;
            }
        }
        return nearest;
    }

    private static int edits(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    static String didYouMean(String command) {
        return "did you mean '" + command + "'? run passsafe --help for the commands";
    }

    static String afterDoubleDash(String command) {
        return "if it is the command's own option, put the command after --: " + command + " [--env VAR] -- COMMAND [ARG...]";
    }

    static final String NO_SUCH_COMMAND = "help takes one of the commands " + String.join(", ", COMMANDS.subList(0, 7)) + " or version";

    static String helpHint(String command) {
        return "run " + command + " --help";
    }

    // ---- Failures anywhere: the last line of defence in Main.

    static Failure outputClosed() {
        return Failure.of("cannot write to standard output: it was closed (by head, say) before passsafe finished", null);
    }

    static Failure ioError(java.io.UncheckedIOException e) {
        return Failure.of(e.getMessage() + ": " + e.getCause().getMessage(), null);
    }

    /** The deepest cause's message: "wordlist.txt is missing from the jar; rebuild it with make". */
    static Failure brokenJar(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        return Failure.of("this passsafe.jar cannot run: " + why, why.contains("rebuild") ? null : "rebuild it with make, or use a passsafe.jar built whole");
    }

    static Failure outOfMemory() {
        return Failure.of("out of memory", "give the JVM more heap (java -Xmx64m -jar passsafe.jar), or close other programs");
    }

    static Failure unexpected(Throwable e) {
        return Failure.of("unexpected " + e.getClass().getName(), "please report it with the command that caused it");
    }

    static String shown(String arg) {
        return Printable.of(arg);
    }
}
