package passsafe;

/** The help text of each command, as {@code --help} and {@code passsafe help [COMMAND]} print it. */
final class Usage {
    private Usage() {}

    private static final String CLIENT_OPTIONS = String.join("\n",
            "  --port N            the server's port on localhost",
            "  --url URL           the server's URL: http://localhost:PORT, http://127.0.0.1:PORT or http://[::1]:PORT",
            "  --help              print this help and exit",
            "",
            "The server is --url URL, or --port N on localhost, or " + Locator.URL + ", or your one running safe",
            "(passsafe list), or, with credentials to try, " + Protocol.DEFAULT_URL + ". With none running, the",
            "error says how the last one ended, and when.",
            "");

    private static final String CREDENTIALS = String.join("\n",
            CLIENT_OPTIONS,
            "The passphrase and token come from the session file of a --session safe, else from",
            Locator.PASSPHRASE + " and " + Locator.TOKEN + ", else they are asked for on the terminal without",
            "echo; never from arguments.",
            "");

    static final String SERVER = String.join("\n",
            "usage: passsafe [--duration D] [--secret NAME]... [--from-file [NAME=]PATH]... [--uses N] [--idle D] [--port N] [--session] [--background]",
            "       passsafe " + String.join(" | ", Text.COMMANDS) + " ...",
            "",
            "Keeps a password (or several named secrets) in memory, encrypted, for a while and hands it",
            "to passsafe.Client. Asks for the storage duration and each secret (hidden); reads them, one",
            "line each, from standard input when it is not a terminal. Secrets are never arguments.",
            "",
            "options:",
            "  --duration D    how long the safe lives: 30 (minutes), 90s, 45m or 1h30m, from 1 minute",
            "                  to 8 hours (default: asked; Enter means " + ServerOptions.DEFAULT_DURATION.toMinutes() + " minutes); --minutes D is the same",
            "  --secret NAME   store a secret under NAME (a-z, 0-9, '_', '-'); repeat for several, up to " + ServerOptions.MAX_SECRETS + ";",
            "                  without it the safe holds one secret, the password",
            "  --from-file [NAME=]PATH",
            "                  read the secret NAME (the one, without NAME=) from a file instead of asking:",
            "                  a key or a credentials file, any bytes up to " + Envelope.MAX_SECRET_BYTES / 1024 + " KiB, kept as they are",
            "  --uses N        wipe the safe after N successful retrievals (1: a one-time hand-off)",
            "  --idle D        wipe the safe after D without a successful retrieval",
            "  --port N        port on the loopback address (default: " + Protocol.DEFAULT_PORT + "; 0 picks a free one)",
            "  --session       also keep the safe's key and token in a file only you can read, for",
            "                  your own programs: passsafe get in a notebook, passsafe.Client.local()",
            "  --background    once the secrets are typed, go on running after the terminal closes;",
            "                  access lines go to PORT.log in your private directory",
            "  --help          print this help and exit",
            "  --version       print the version and exit",
            "",
            "commands (passsafe help COMMAND for one):",
            "  get      print the secret, for PGPASSWORD=\"$(passsafe get)\"",
            "  exec     run a command with the secret in its environment",
            "  set      replace a secret in the running safe (the database's password changed)",
            "  reject   report that the database refused the secret: the safe hands it to no one",
            "           until passsafe set replaces it, so no other program tries it again",
            "  status   show whether a safe serves, and its limits",
            "  list     list your running safes, whatever their ports",
            "  stop     wipe the safe and end its server now",
            "  version  print the version",
            "",
            "The safe ends at whichever limit comes first, and says which.",
            "exit status: 0 the safe ended or help was shown, 1 failure, 2 usage error",
            "");

    static final String GET = String.join("\n",
            "usage: passsafe get [--port N | --url URL] [--secret NAME]",
            "",
            "Prints the secret (or the one named NAME) on standard output, byte for byte, for",
            "PGPASSWORD=\"$(passsafe get)\" or a key: passsafe get --secret key | tool --key-stdin;",
            "a newline follows it only on a terminal.",
            "",
            CREDENTIALS,
            "exit status: 0 ok, 1 failure, 2 usage error",
            "");

    static final String EXEC = String.join("\n",
            "usage: passsafe exec [--port N | --url URL] [--env VAR[=SECRET]]... [--file VAR[=SECRET]]... -- COMMAND [ARG...]",
            "",
            "Runs COMMAND with the secret in environment variable VAR (default " + ClientCommand.DEFAULT_VARIABLE + "),",
            "or each named SECRET in its VAR; the secret is never printed. Every secret is fetched",
            "before COMMAND starts, so a refusal leaves it unstarted.",
            "",
            "  --env VAR[=SECRET]  put the secret (or the one named SECRET) in VAR; repeat for several",
            "  --file VAR[=SECRET] write the secret to a new 0600 file in memory ($XDG_RUNTIME_DIR or",
            "                      /dev/shm) and put its path in VAR, for a key or a credentials file;",
            "                      removed when COMMAND ends, on Ctrl-C, SIGTERM or SIGHUP (which end",
            "                      COMMAND too), or, after a kill -9, by your next passsafe command",
            CREDENTIALS,
            "exit status: the command's; 1 failure, 2 usage error before it started",
            "");

    static final String SET = String.join("\n",
            "usage: passsafe set [--port N | --url URL] [--secret NAME] [--from-file PATH]",
            "",
            "Replaces the secret (or the one named NAME) in the running safe: asks for the new value",
            "without echo, or reads one line from standard input when it is not a terminal, or takes",
            "the bytes of the file PATH (a key, a credentials file, up to 64 KiB). It is sealed",
            "here under the safe's key; the safe keeps its passphrase, token, port, time and limits, and",
            "hands the new value out from now on, lifting a rejection. The safe's terminal says who replaced it.",
            "",
            CREDENTIALS,
            "exit status: 0 ok, 1 failure, 2 usage error",
            "");

    static final String REJECT = String.join("\n",
            "usage: passsafe reject [--port N | --url URL] [--secret NAME]",
            "",
            "Reports that the database refused the secret (or the one named NAME): the safe then hands",
            "it to no one, and every program that asks is told so at once, until passsafe set replaces",
            "it; so one wrong password costs the account one failed login, not one per program.",
            "passsafe.Driver reports a refusal itself; this is for a script or a notebook cell.",
            "",
            CREDENTIALS,
            "exit status: 0 ok, 1 failure, 2 usage error",
            "");

    static final String STATUS = String.join("\n",
            "usage: passsafe status [--port N | --url URL] [--json]",
            "",
            "Shows whether a safe serves, its time left, retrievals, uses and attempts left.",
            "Needs no passphrase or token and shows nothing secret.",
            "",
            "  --json              one line of JSON: url, state, seconds_left, retrievals, uses_left, attempts_left,",
            "                      replaced, rejected",
            CLIENT_OPTIONS,
            "exit status: 0 ok, 1 failure (no safe answers), 2 usage error",
            "");

    static final String LIST = String.join("\n",
            "usage: passsafe list [--json]",
            "",
            "Lists your safes that are running, found through their sockets or session files, whatever their ports:",
            "each one's URL, state, time left, retrievals, uses and attempts left. Nothing secret.",
            "A client given no --port, --url or " + Locator.URL + " uses the one that runs.",
            "",
            "  --json              one line: a JSON array of what passsafe status --json shows for each",
            "  --help              print this help and exit",
            "",
            "exit status: 0 ok, 2 usage error",
            "");

    static final String STOP = String.join("\n",
            "usage: passsafe stop [--port N | --url URL]",
            "",
            "Wipes the safe and ends its server now. Needs the token: from the session file of a --session",
            "safe, else " + Locator.TOKEN + ", else asked for; a wrong one counts like any other.",
            "",
            CLIENT_OPTIONS,
            "exit status: 0 ok, 1 failure, 2 usage error",
            "");

    static String of(String command) {
        switch (command) {
            case "get":
                return GET;
            case "exec":
                return EXEC;
            case "set":
                return SET;
            case "reject":
                return REJECT;
            case "status":
                return STATUS;
            case "list":
                return LIST;
            case "stop":
                return STOP;
            case "help":
            case "version":
                return SERVER;
            default:
                return null;
        }
    }
}
