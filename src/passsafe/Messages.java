package passsafe;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * Every sentence passsafe says to a person, in one place: the library's exception messages, the
 * server's bodies and terminal lines, the command line's errors and hints. Messages follow one
 * rule: lowercase, no final period, say what happened and what to do, never a secret, and never
 * echo what the user typed unless {@link #shown} allows it. Library messages name no launcher,
 * since a jshell or R user may have only the jar.
 */
final class Messages {
    private Messages() {}

    // ---- The library: what a Client's exceptions say.

    static final String START_NEW = "start a new safe and use the passphrase and token it prints";

    static String noServer(String url) {
        return "no passsafe server answers at " + url + ": it may have expired or been stopped; " + START_NEW;
    }

    static String timeout(String url, Duration deadline) {
        return "the passsafe server at " + url + " did not answer within " + Durations.describe(deadline)
                + "; check that it is still running, or start a new one";
    }

    static final String BAD_DEADLINE = "the deadline must be a positive duration, such as Duration.ofSeconds(10)";

    static String untrustedServer(String url, String user) {
        return (user != null ? "another user (" + shown(user) + ") is listening on the port of " + url
                : "cannot tell which user is listening on the port of " + url)
                + ": it may be trying to catch your token, so the token was not sent;"
                + " check that your own safe runs there, and tell the host's administrator";
    }

    static String invalidTokenException(int attemptsLeft) {
        return "invalid token: " + attempts(attemptsLeft) + " before the safe locks; copy the 6-digit token the server printed";
    }

    static final String LOCKED_EXCEPTION = "the safe is locked after " + Safe.MAX_ATTEMPTS + " invalid tokens: someone may have tried"
            + " to guess the token; start a new safe and share the password again";

    static String closedException(Safe.State state) {
        return "the safe no longer holds its secrets: " + reason(state) + "; " + START_NEW;
    }

    static String noSuchSecret(String name, List<String> held) {
        return "this safe holds no secret named " + name + "; it holds " + String.join(", ", held);
    }

    static String noSuchSecretException(String name, List<String> held) {
        return noSuchSecret(name, held) + "; ask for one of those (no token attempt was spent)";
    }

    static final String NOT_READY_EXCEPTION = "the safe is not serving yet: it is still asking for its duration and password;"
            + " try again once it prints Serving on";

    static final String WRONG_PASSPHRASE = "wrong passphrase: the secret could not be decrypted;"
            + " copy the six words exactly as the server printed them";

    static String unsupportedServer(String what) {
        return "the server's answer was refused: " + what + "; use the same passsafe.jar for the server and the client";
    }

    static String notAStatus(String firstLine) {
        return "its status is not " + firstLine;
    }

    static String statusField(String key) {
        return "its status has no valid " + key;
    }

    static String unknownState() {
        return "it reports a state this client does not know";
    }

    static String answered(int status, String reason) {
        return "it answered HTTP " + status + " (" + reason + ")";
    }

    static String wrongSecretSent(String sent, String asked) {
        return "it sent the secret named " + sent + " when " + asked + " was asked for";
    }

    static final String NOT_HTTP = "it does not speak HTTP/1.1";
    static final String HEAD_TOO_LARGE = "its answer's headers are too large";
    static final String NO_LENGTH = "its answer has no usable Content-Length";
    static final String LONG_LINE = "its answer has an overlong line";
    static final String SALT_CHANGED = "the safe's salt changed since this client's first call, which a passsafe server never does";
    static final String SECRET_NOT_UTF8 = "the secret is not valid UTF-8";

    static String iterationsOutOfBounds(long iterations, int min, int max) {
        return "an iteration count of " + iterations + " is outside the accepted " + min + " to " + max
                + ", so this may not be a genuine passsafe server";
    }

    static String envelopeTooLarge(int bytes) {
        return "an envelope of " + bytes + " bytes is too large";
    }

    static final String NOT_AN_ENVELOPE = "it is not a passsafe envelope";

    static String envelopeVersion(String version, int readable) {
        return "it is envelope version " + version + " and this client reads only version " + readable;
    }

    static final String ENVELOPE_LINES = "the envelope does not have exactly six lines";
    static final String ENVELOPE_NAME = "the envelope's secret name is malformed";
    static final String SHORT_CIPHERTEXT = "the ciphertext is shorter than its tag";

    static String envelopeField(String key) {
        return "the envelope has no '" + key + "' line where expected";
    }

    static String envelopeKdf(String kdf) {
        return "the key derivation is not " + kdf;
    }

    static final String ENVELOPE_ITERATIONS = "the iteration count is malformed";
    static final String ENVELOPE_BASE64 = "the envelope holds malformed base64";
    static final String ENVELOPE_MALFORMED = "the envelope holds a malformed field";

    static final String NULL_ARGUMENT = "the passphrase, token and url must not be null";
    static final String BAD_TOKEN = "the token must be the 6 digits the server printed, such as 936265 or \"936 265\"";

    static String passphraseWords(int words) {
        return "the passphrase must be the " + Passphrase.WORDS + " words the server printed, separated by spaces;"
                + " this one has " + words + (words == 1 ? " word" : " words");
    }

    static String passphraseUnknownWord(int position) {
        return "word " + position + " of the passphrase is not one passsafe prints; copy the six words exactly as the server printed them";
    }

    static final String LOOPBACK_URL = "the url must be http://localhost:PORT, http://127.0.0.1:PORT or http://[::1]:PORT:"
            + " a passsafe server listens on this machine only";

    static final String BAD_NAME = "a secret's name is 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit";
    static final String CLIENT_CLOSED = "this passsafe.Client is closed; create a new one";
    static final String SECRET_CLOSED = "this passsafe.Secret is closed; ask the Client for it again";

    static final String PASSPHRASE_WHAT = "the six words the server printed";
    static final String TOKEN_WHAT = "the 6-digit token the server printed";

    static String notSet(String variable, String what) {
        return variable + " is not set: export " + what + " as " + variable + ", or pass it to new passsafe.Client(...)";
    }

    static final String NOT_TEXT = "the secret is not valid text (it holds a lone UTF-16 surrogate) and was not stored; check how it was produced";

    // ---- The server: bodies a client reads, and the owner's terminal lines.

    /** The one body every refusal gets, so a refusal tells nothing about the safe's state. */
    static final String REFUSED = "refused: only a passsafe client of the safe's own user on this machine is served";
    static final String REFUSED_HOST = "refused: a Host header other than localhost, 127.0.0.1 or [::1] with this port";
    static final String REFUSED_BROWSER = "refused: a request from a web browser";
    static final String REFUSED_UNKNOWN_USER = "refused: cannot tell which user opened the connection";

    static final String REFUSED_USER_PREFIX = "refused: a connection from another user";

    static String refusedOtherUser(int uid) {
        return REFUSED_USER_PREFIX + " (uid " + uid + ")";
    }

    static String refusedOtherUser(String user) {
        return REFUSED_USER_PREFIX + " (" + shown(user) + ")";
    }

    static String refusedSummary(long users, long others) {
        return String.format(java.util.Locale.ROOT, "refused %,d %s in the last minute: %,d from other users, %,d from web pages or with a wrong Host",
                users + others, users + others == 1 ? "request" : "requests", users, others);
    }

    static final String NOT_READY = "not ready: the safe is still asking for its duration and password";
    static final String NO_QUERY = "bad request: no query string is accepted";
    static final String STATUS_SHOWN = "status shown";
    static final String STOPPED = "stopped: the safe is wiped and its server ends";
    static final String LOCKED = "locked: " + Safe.MAX_ATTEMPTS + " invalid tokens were tried; start a new safe";
    static final String INTERNAL_ERROR = "internal error: the server could not answer this request";

    static String notFound() {
        StringBuilder paths = new StringBuilder();
        for (Protocol.Endpoint endpoint : Protocol.Endpoint.values()) {
            paths.append(paths.length() == 0 ? "" : ", ").append(endpoint.path);
        }
        return "not found: the paths are " + paths;
    }

    static String wrongMethod(String method) {
        return "wrong method: use " + method;
    }

    static String headersTooLarge(int max) {
        return "too large: the request headers exceed " + max + " bytes";
    }

    static String bodyTooLarge(int max) {
        return "too large: the request must have no body (at most " + max + " bytes are ignored)";
    }

    static String noToken(String header) {
        return "bad request: send the 6-digit token in one " + header + " header";
    }

    static String invalidToken(int attemptsLeft) {
        return "invalid token: " + attempts(attemptsLeft);
    }

    static String closed(Safe.State state) {
        return "closed: " + reason(state);
    }

    /** Why a safe no longer serves, in words. */
    static String reason(Safe.State state) {
        switch (state) {
            case LOCKED:
                return "it is locked after " + Safe.MAX_ATTEMPTS + " invalid tokens";
            case EXPIRED:
                return "its storage duration has expired";
            case USED_UP:
                return "its uses are used up";
            case IDLE:
                return "it went unused for its idle time";
            case STOPPED:
                return "its owner stopped it";
            case INTERRUPTED:
                return "its server was interrupted";
            default:
                return "it is open";
        }
    }

    static String who(boolean checksUsers) {
        return checksUsers ? System.getProperty("user.name") : "a client";
    }

    static String viaSocket(String who) {
        return who + " (socket)";
    }

    static String admitted(boolean checksUsers, int uid) {
        return checksUsers ? "a client of user " + System.getProperty("user.name") + " (uid " + uid + ")" : "a client with the right token";
    }

    static String retrieved(String who, Safe.Answer answer) {
        return who + ": retrieved " + answer.name + " (" + (answer.usesLeft >= 0 ? uses(answer.usesLeft) + ", " : "")
                + attempts(answer.attemptsLeft) + ")" + (answer.state == Safe.State.USED_UP ? "; the safe's uses are used up" : "");
    }

    static String stoppedBy(String admitted) {
        return "stopped by " + admitted;
    }

    static String invalidTokenLog(String who, int attemptsLeft) {
        return who + ": invalid token (" + attempts(attemptsLeft) + ")";
    }

    static String lockedNowLog(String who) {
        return who + ": invalid token (0 attempts left): the safe is now locked and its secrets wiped";
    }

    static String noSuchSecretLog(String who, String name) {
        return who + ": asked for " + name + ", which this safe does not hold";
    }

    static String refusedLog(Safe.State state) {
        return "refused: " + reason(state);
    }

    static String uses(int left) {
        return left + (left == 1 ? " use left" : " uses left");
    }

    static String attempts(int left) {
        return left + (left == 1 ? " attempt left" : " attempts left");
    }

    // ---- The server's command: start-up, prompts, announcement, end.

    /** How the user started passsafe, for hints: what passsafe.sh says it was called, else the launcher's usual name. */
    static final String LAUNCHER = launcher(System.getenv("PASSSAFE_LAUNCHER"));

    private static String launcher(String name) {
        return name != null && name.matches("[A-Za-z0-9._-]{1,40}") ? name : "passsafe.sh";
    }

    static final String DUMPABLE_OLD_JDK = "on this JDK other programs of your user can read this server's memory (/proc/PID/mem);"
            + " run it on JDK 22 or newer (JAVA_HOME=/path/to/jdk-22+ " + LAUNCHER + ") to make it non-dumpable";
    static final String DUMPABLE_ELSEWHERE = "only on Linux can passsafe keep other programs of your user from reading this server's memory";

    static String dumpableFailed(String why) {
        return "could not make this server non-dumpable (" + why + "): other programs of your user can read its memory";
    }

    static final String SESSION_RACED = "another program made it while this one was being written";
    static final String NOT_A_SESSION = "it is not a passsafe session file";
    static final String NOT_A_FILE = "it is not a regular file";


    static Failure sessionFile(java.nio.file.Path file, String why) {
        return Failure.of("cannot write the session file " + file + ": " + why,
                "start the safe without --session, or set " + SocketDirectory.RUNTIME_DIR + " to a directory only you can enter");
    }

    static String badSessionFile(java.nio.file.Path file, String why) {
        return "the session file " + file + " cannot be used: " + why + "; remove it and start the safe again with passsafe --session";
    }

    static String noSession(String url) {
        return "no passsafe session for " + url + ": start the safe with passsafe --session, or pass the passphrase and token";
    }

    static final String NO_UNIX_SOCKETS = "this JDK has no Unix-domain sockets (they need JDK 16 or newer)";
    static final String NOT_A_DIRECTORY = "it is not a directory";

    static String notYours(String owner) {
        return "it belongs to " + shown(owner) + ", not to you";
    }

    static String openToOthers(boolean directory, String permissions) {
        return "others may " + (directory ? "enter" : "read") + " it (" + permissions + ")";
    }

    static Failure socketDirectory(java.nio.file.Path dir, String why) {
        return Failure.of("cannot use " + dir + " for the safe's socket: " + why,
                "remove it, or set " + SocketDirectory.RUNTIME_DIR + " to a directory of your own that only you can enter");
    }

    static Failure cannotListenOn(java.nio.file.Path socket, IOException e) {
        return Failure.of("cannot listen on " + socket + ": " + e.getMessage(), "choose another port with --port N");
    }

    static String malformed(int status) {
        return status == Protocol.HEADERS_TOO_LARGE ? headersTooLarge(Handler.MAX_HEADER_BYTES) : "bad request: not an HTTP/1.1 request";
    }

    static Failure socketInUse(java.nio.file.Path socket) {
        return Failure.of("another safe of yours already answers on " + socket, "stop it with passsafe stop, or choose another port with --port N");
    }

    static final String TCP_ONLY = "this JDK has no Unix-domain sockets (JDK 16+), so the safe serves TCP only, which other"
            + " users of this host can crowd; start it with a newer JDK (JAVA_HOME=... " + LAUNCHER + ") for the private socket";

    static Failure portTaken(int port, OptionalInt otherUid) {
        if (otherUid.isPresent()) {
            return Failure.of("port " + port + " is already in use by another user (uid " + otherUid.getAsInt() + ")",
                    "that program may be waiting to catch your token; choose another port with --port N and tell the host's administrator");
        }
        return Failure.of("port " + port + " is already in use",
                "stop the other safe, or choose another port with --port N (clients then add the URL http://localhost:N)");
    }

    static Failure cannotListen(int port, IOException e) {
        return Failure.of("cannot listen on port " + port + ": " + e.getMessage(), "choose another port with --port N");
    }

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
        return Failure.input("standard input ended before the storage duration", "give the duration and the password, one line each");
    }

    static Failure invalidPipedDuration() {
        return Failure.input("the storage duration is not valid: " + Durations.RULE,
                "the first line of standard input is the duration, each next line a secret");
    }

    static String retryDuration() {
        return Durations.RULE + "; try again";
    }

    static Failure inputEndedBefore(String what) {
        return Failure.input("standard input ended before " + what, "give the duration and each secret, one line each");
    }

    static Failure emptyPipedSecret(String what) {
        return Failure.input("the line for " + what + " on standard input is empty", "put each secret on its own line after the duration");
    }

    static String retrySecret(String what) {
        return what + " is empty; type it again (it is not shown)";
    }

    static Failure notText(String what) {
        return Failure.input(what + " is not valid text (it holds a lone UTF-16 surrogate)", "check how it was produced");
    }

    static Failure cannotRead(String source, IOException e) {
        return Failure.of("cannot read " + source + ": " + e.getMessage(), null);
    }

    static Failure notUtf8(String source) {
        return Failure.input("what came from " + source + " is not valid UTF-8", "give the secret as UTF-8 text");
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
        return "Session: the passphrase and token are also in " + file + ", which only you can read, for your own"
                + " programs (passsafe get, passsafe.Client.local()); it goes when the safe ends.";
    }

    static String serving(int port) {
        return "Serving on http://localhost:" + port;
    }

    static String wiped(boolean named) {
        return "the " + (named ? "secrets are" : "password is") + " wiped from memory";
    }

    static String endedByLimit(Safe.State state, boolean named, String until) {
        String why = state == Safe.State.LOCKED ? "The safe is locked after " + Safe.MAX_ATTEMPTS + " invalid tokens"
                : state == Safe.State.USED_UP ? "The safe's uses are used up" : "The safe went unused for its idle time";
        return why + ": " + wiped(named) + ". It refuses every request, saying why, until " + until + "; Ctrl-C ends it now.";
    }

    static String stoppedAt(String time, boolean named) {
        return "The safe was stopped at " + time + ": " + wiped(named) + ".";
    }

    static String expired(boolean named) {
        return "The storage duration has expired: " + wiped(named) + ".";
    }

    static String interrupted(boolean named) {
        return "passsafe: interrupted: " + wiped(named);
    }

    // ---- The command-line client.

    static final String PASSPHRASE_PROMPT = "Passphrase: ";
    static final String TOKEN_PROMPT = "Token: ";
    static final String INTERRUPTED = "interrupted";

    static Failure noCredentials(String what, String url) {
        return Failure.input("no " + what + " for " + url + ": no session file, no " + (what.equals("token") ? Environment.TOKEN : Environment.PASSPHRASE)
                + " and no terminal to ask on", "start the safe with passsafe --session, or set " + Environment.PASSPHRASE + " and " + Environment.TOKEN);
    }

    static Failure noTerminal(String what) {
        return Failure.input("no " + what + " given and no terminal to ask on",
                "start the safe with passsafe --session, set " + Environment.PASSPHRASE + " and " + Environment.TOKEN
                        + ", or run the command in a terminal");
    }

    static final String NO_CONSOLE = "no console and no terminal to ask for the passphrase and token on;"
            + " use passsafe.Client.local() with a safe started with passsafe --session";

    static Failure cannotReadTerminal(IOException e) {
        return Failure.of("cannot read the terminal: " + e.getMessage(),
                "set " + Environment.PASSPHRASE + " and " + Environment.TOKEN + " instead");
    }

    static Failure badPassphrase(String why, boolean fromEnvironment) {
        return Failure.input((fromEnvironment ? Environment.PASSPHRASE + ": " : "") + why, null);
    }

    static Failure badToken(boolean fromEnvironment) {
        return Failure.input((fromEnvironment ? Environment.TOKEN + " is" : "that is") + " not a 6-digit token",
                "give the token the server printed, such as 936 265");
    }

    static Failure badUrl(String why) {
        return Failure.input(why, "use --port N, or --url http://localhost:PORT");
    }

    static Failure cannotStart(String program, boolean onPath) {
        return Failure.of("cannot start " + shown(program) + ": no such executable" + (onPath ? " on PATH" : ""),
                "check the command after --; the safe was not asked for the secret");
    }

    static Failure cannotStart(String program, IOException e) {
        return Failure.of("cannot start " + shown(program) + ": " + e.getMessage(), null);
    }

    static Failure interruptedWhile(String program) {
        return Failure.of("interrupted while " + shown(program) + " ran", null);
    }

    static String statusHeading(String url, String state) {
        return "passsafe at " + url + ": " + state;
    }

    static String statusLine(String label, String value) {
        return String.format("  %-15s %s", label + ":", value);
    }

    static final String STATUS_LOCKED = "  " + Safe.MAX_ATTEMPTS + " invalid tokens were tried: someone may have tried to guess the token; start a new safe";

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
        return option + " takes a duration: 30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours";
    }

    static String takesName(String option) {
        return option + " takes a name of 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit";
    }

    static String tooManySecrets(int max) {
        return "a safe holds at most " + max + " secrets";
    }

    /** Never echoes a stray argument: it may be a password typed in the wrong place. */
    static final String SERVER_NO_ARGUMENTS = "passsafe takes no arguments besides its options and commands;"
            + " the password is asked for, never given on the command line";

    static String noArguments(String command, String allowed) {
        return command + " takes no arguments" + allowed + "; the passphrase and token come from the environment or the terminal";
    }

    static final String EXEC_NEEDS_COMMAND = "exec needs a command after --, such as: passsafe exec --env PGPASSWORD -- psql -h db";
    static final String ENV_VARIABLE = "--env takes an environment variable name, such as PGPASSWORD, or VAR=SECRET";

    static String envSecretName(String variable) {
        return "--env " + variable + "=SECRET takes a secret's name of a-z, 0-9, '_' and '-'";
    }

    static final String NO_SUCH_COMMAND = "help takes one of the commands get, exec, status, stop or version";

    static String helpHint(String command) {
        return "run " + command + " --help";
    }

    // ---- Failures anywhere: the last line of defence in Main.

    static Failure outputClosed() {
        return Failure.of("cannot write to standard output: it was closed (by head, say) before passsafe finished", null);
    }

    static Failure outOfMemory() {
        return Failure.of("out of memory", "give the JVM more heap (java -Xmx64m -jar passsafe.jar), or close other programs");
    }

    static Failure unexpected(Throwable e) {
        return Failure.of("unexpected " + e.getClass().getName(), "please report it with the command that caused it");
    }

    /** A user's argument as it may be echoed in a message: short and plain, or not at all. */
    static String shown(String arg) {
        return arg.length() <= 40 && arg.matches("[-A-Za-z0-9=./_ ]*") ? arg : "(unprintable)";
    }
}
