package passsafe;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP contract between {@link Handler} and {@link Client}, documented in the README's
 * "Protocol" section: paths, headers, statuses and the status body, each written and read here.
 * The token travels in a header, never in the URL, and the custom header means no web page can
 * send this request without a CORS preflight, which the server never grants. Everything a client
 * acts on is a field (a status, a header, a status line); the one-line bodies are for people.
 */
final class Protocol {
    static final int DEFAULT_PORT = 8051;
    static final String DEFAULT_URL = "http://localhost:" + DEFAULT_PORT;
    static final String TOKEN_HEADER = "Passsafe-Token";
    /** On 401 and 200: how many wrong tokens the safe still accepts. */
    static final String ATTEMPTS_HEADER = "Passsafe-Attempts-Left";
    /** On 410: why the safe ended, as a {@link State} code such as {@code used-up}. */
    static final String ENDED_HEADER = "Passsafe-Ended";
    /** On a 404 for a secret the safe does not hold: the names it holds, comma-separated. */
    static final String SECRETS_HEADER = "Passsafe-Secrets";
    /**
     * On a secret's request: the {@link KeyCheck} of the key the client derived from its passphrase
     * and the status's salt, in lowercase hex. Without it, or with a wrong one, the safe answers
     * 422 and spends no use.
     */
    static final String KEY_CHECK_HEADER = "Passsafe-Key-Check";
    /**
     * On an envelope: which version of the secret it is, so a consumer the database refuses can
     * say which one was refused; on a rejection, that version. A number that grows with each
     * {@code passsafe set} of the safe.
     */
    static final String VERSION_HEADER = "Passsafe-Version";
    /**
     * On a request for a secret: {@code 1} from a consumer that reports whether the secret worked
     * (passsafe's driver, {@code passsafe exec}). On the envelope sent to such a consumer when no
     * consumer has yet reported this secret working: {@code 1}, and other reporting consumers wait
     * until this one reports, through {@link Endpoint#ACCEPT} or {@link Endpoint#REJECT}.
     */
    static final String TRIAL_HEADER = "Passsafe-Trial";
    /** On 409: when the database refused the secret, in seconds since the epoch. */
    static final String REJECTED_HEADER = "Passsafe-Rejected";
    /** The protocol this side speaks; the status says it, and a client refuses any other. */
    static final int VERSION = 3;
    static final String ENVELOPE_TYPE = "application/vnd.passsafe.envelope; version=" + Envelope.VERSION;
    static final String TEXT_TYPE = "text/plain; charset=utf-8";

    static final int OK = 200;
    static final int BAD_REQUEST = 400;
    static final int INVALID_TOKEN = 401;
    static final int REFUSED = 403;
    static final int NOT_FOUND = 404;
    static final int WRONG_METHOD = 405;
    static final int REJECTED = 409;
    /** A rejection of a version of the secret that has been replaced since: fetch it again. */
    static final int STALE = 412;
    static final int CLOSED = 410;
    static final int TOO_LARGE = 413;
    static final int WRONG_KEY = 422;
    static final int LOCKED = 423;
    static final int HEADERS_TOO_LARGE = 431;
    static final int NOT_READY = 503;

    private Protocol() {}

    enum Endpoint {
        /** POST with the token: the envelope of the default secret; {@code /v1/secret/NAME} for a named one. */
        SECRET("/v1/secret", "POST", true),
        /** POST with the token, the key check and an envelope sealed under the safe's key: {@code passsafe set}. */
        REPLACE("/v1/replace", "POST", true),
        /** POST with the token, the key check and the refused {@link #VERSION_HEADER}: the database refused it. */
        REJECT("/v1/reject", "POST", true),
        /** POST with the token, the key check and the {@link #VERSION_HEADER} of a trial: the secret worked. */
        ACCEPT("/v1/accept", "POST", true),
        /** GET: the safe's state; no token needed, nothing secret. */
        STATUS("/v1/status", "GET", false),
        /** POST with the token: wipe the safe and end its server now. */
        STOP("/v1/stop", "POST", true);

        final String path;
        final String method;
        final boolean needsToken;

        Endpoint(String path, String method, boolean needsToken) {
            this.path = path;
            this.method = method;
            this.needsToken = needsToken;
        }

        /** Whether a secret's name may follow the path: {@code /v1/secret/api}. */
        boolean named() {
            return this == SECRET || this == REPLACE || this == REJECT || this == ACCEPT;
        }

        /** The path for the secret {@code name}: the bare path for the default one. */
        String path(String name) {
            return name.equals(Names.DEFAULT) ? path : path + "/" + name;
        }

        /** The secret a named endpoint's {@code path} is for, or null when it is not one of this endpoint's. */
        String secretName(String path) {
            if (path.equals(this.path)) {
                return named() ? Names.DEFAULT : null;
            }
            String name = named() && path.startsWith(this.path + "/") ? path.substring(this.path.length() + 1) : null;
            return name != null && Names.valid(name) ? name : null;
        }

        static Endpoint of(String path) {
            for (Endpoint endpoint : values()) {
                if (path.equals(endpoint.path) || endpoint.secretName(path) != null) {
                    return endpoint;
                }
            }
            return null;
        }
    }

    static String secretPath(String name) {
        return Endpoint.SECRET.path(name);
    }

    /** The secret any named endpoint's {@code path} is for, or null. */
    static String secretName(String path) {
        Endpoint endpoint = Endpoint.of(path);
        return endpoint == null ? null : endpoint.secretName(path);
    }

    /**
     * The body of {@code GET /v1/status}: a first line {@code passsafe-status 1}, then one
     * {@code key value} line per field. Nothing in it is secret.
     */
    static final class Status {
        static final String FIRST_LINE = "passsafe-status 1";
        private static final Pattern VALUE = Pattern.compile("[a-z0-9-]{1,64}");
        private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

        final State state;
        final long secondsLeft;
        final int retrievals;
        /** -1 for no use limit. */
        final int usesLeft;
        final int attemptsLeft;
        /**
         * A session-mode safe's id, which its session file holds too, so a client can tell the file
         * of the safe that answers from one a killed safe left; null for a safe without a session.
         */
        final String session;
        /** The salt of the safe's key derivation while it is open; null once it has ended. */
        final byte[] salt;
        /** The iteration count of that derivation; 0 when there is no salt. */
        final int iterations;
        /** The server's process id, so its owner can end a safe whose token is lost; 0 when not said. */
        final long pid;
        /** How many times {@code passsafe set} replaced a secret: a consumer refused by its database compares it. */
        final int replaced;
        /** How many of the safe's secrets the database refused and no one has replaced since. */
        final int rejected;

        Status(State state, long secondsLeft, int retrievals, int usesLeft, int attemptsLeft) {
            this(state, secondsLeft, retrievals, usesLeft, attemptsLeft, null, null, 0, 0, 0, 0);
        }

        private Status(State state, long secondsLeft, int retrievals, int usesLeft, int attemptsLeft, String session, byte[] salt, int iterations,
                long pid, int replaced, int rejected) {
            this.state = state;
            this.secondsLeft = secondsLeft;
            this.retrievals = retrievals;
            this.usesLeft = usesLeft;
            this.attemptsLeft = attemptsLeft;
            this.session = session;
            this.salt = salt;
            this.iterations = iterations;
            this.pid = pid;
            this.replaced = replaced;
            this.rejected = rejected;
        }

        /** The same status, as the server sends it: with a session-mode safe's id (or null) and its process id. */
        Status withServer(String id, long pid) {
            return new Status(state, secondsLeft, retrievals, usesLeft, attemptsLeft, id, salt, iterations, pid, replaced, rejected);
        }

        Status withKdf(byte[] salt, int iterations) {
            return new Status(state, secondsLeft, retrievals, usesLeft, attemptsLeft, session, salt, iterations, pid, replaced, rejected);
        }

        Status withSecrets(int replaced, int rejected) {
            return new Status(state, secondsLeft, retrievals, usesLeft, attemptsLeft, session, salt, iterations, pid, replaced, rejected);
        }

        /** Null while the safe is open; otherwise the exception that says why it no longer serves. */
        PasssafeException refusal() {
            return state == State.OPEN ? null : PasssafeException.ended(state, null);
        }

        byte[] encode() {
            return (FIRST_LINE + "\n"
                    + "state " + state.code() + "\n"
                    + "seconds-left " + secondsLeft + "\n"
                    + "retrievals " + retrievals + "\n"
                    + "uses-left " + (usesLeft < 0 ? "unlimited" : Integer.toString(usesLeft)) + "\n"
                    + "attempts-left " + attemptsLeft + "\n"
                    + "replaced " + replaced + "\n"
                    + "rejected " + rejected + "\n"
                    + (session == null ? "" : "session " + session + "\n")
                    + (pid <= 0 ? "" : "pid " + pid + "\n")
                    + "protocol " + VERSION + "\n"
                    + (salt == null ? "" : "salt " + KeyCheck.hex(salt) + "\n" + "iterations " + iterations + "\n"))
                    .getBytes(StandardCharsets.US_ASCII);
        }

        /**
         * The same fields as JSON, for {@code passsafe status --json}: {@code url}, {@code state},
         * {@code seconds_left}, {@code retrievals}, {@code uses_left} (null for no limit) and
         * {@code attempts_left}, {@code replaced} and {@code rejected}. Every value is checked on parsing, so none needs escaping.
         */
        String json(String url) {
            return "{\"url\":\"" + url + "\",\"state\":\"" + state.code() + "\",\"seconds_left\":" + secondsLeft + ",\"retrievals\":" + retrievals
                    + ",\"uses_left\":" + (usesLeft < 0 ? "null" : Integer.toString(usesLeft)) + ",\"attempts_left\":" + attemptsLeft
                    + ",\"replaced\":" + replaced + ",\"rejected\":" + rejected + (pid <= 0 ? "" : ",\"pid\":" + pid) + "}";
        }

        /** @throws PasssafeException.UnsupportedServer for anything but a well-formed status of this protocol */
        static Status parse(byte[] body) {
            String[] lines = new String(body, StandardCharsets.US_ASCII).split("\n");
            if (lines.length == 0 || !lines[0].equals(FIRST_LINE)) {
                throw new PasssafeException.UnsupportedServer("its status is not " + FIRST_LINE);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int space = lines[i].indexOf(' ');
                if (space > 0 && VALUE.matcher(lines[i].substring(space + 1)).matches()) {
                    fields.put(lines[i].substring(0, space), lines[i].substring(space + 1));
                }
            }
            if (!Integer.toString(VERSION).equals(fields.get("protocol"))) {
                throw new PasssafeException.UnsupportedServer("it speaks another passsafe protocol than " + VERSION);
            }
            String uses = fields.getOrDefault("uses-left", "unlimited");
            byte[] salt = fields.containsKey("salt") ? KeyCheck.parseHex(fields.get("salt"), Kdf.SALT_SIZE_IN_BYTES) : null;
            if (fields.containsKey("salt") && salt == null) {
                throw new PasssafeException.UnsupportedServer("its status has no valid salt");
            }
            return new Status(State.of(fields.get("state")), number(fields, "seconds-left"), (int) number(fields, "retrievals"),
                    uses.equals("unlimited") ? -1 : (int) number(fields, "uses-left"), (int) number(fields, "attempts-left"), fields.get("session"),
                    salt, salt == null ? 0 : (int) number(fields, "iterations"), fields.containsKey("pid") ? number(fields, "pid") : 0,
                    (int) number(fields, "replaced"), (int) number(fields, "rejected"));
        }

        private static long number(Map<String, String> fields, String key) {
            String value = fields.get(key);
            if (value == null || !NUMBER.matcher(value).matches()) {
                throw new PasssafeException.UnsupportedServer("its status has no valid " + key);
            }
            return Long.parseLong(value);
        }
    }

    /** The reason phrase of a status line, for people reading raw traffic; clients read the code. */
    static String reason(int status) {
        return REASONS.getOrDefault(status, "Internal Server Error");
    }

    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(OK, "OK"), Map.entry(BAD_REQUEST, "Bad Request"),
            Map.entry(INVALID_TOKEN, "Unauthorized"), Map.entry(REFUSED, "Forbidden"), Map.entry(NOT_FOUND, "Not Found"), Map.entry(REJECTED, "Conflict"), Map.entry(STALE, "Precondition Failed"),
            Map.entry(WRONG_METHOD, "Method Not Allowed"), Map.entry(CLOSED, "Gone"), Map.entry(TOO_LARGE, "Content Too Large"),
            Map.entry(LOCKED, "Locked"), Map.entry(WRONG_KEY, "Unprocessable Content"),
            Map.entry(HEADERS_TOO_LARGE, "Request Header Fields Too Large"), Map.entry(NOT_READY, "Service Unavailable"));

    static String lower(String header) {
        return header.toLowerCase(Locale.ROOT);
    }
}
