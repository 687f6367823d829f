package passsafe;

import java.util.List;

/**
 * Why a {@link Client} could not hand out the secret. Each cause is its own subtype, so callers
 * can catch exactly what they can handle; every message says what to do next and never contains
 * the passphrase, the token or the secret. Callers can catch these but not construct them.
 */
public abstract class PasssafeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    // Library messages name no launcher: a jshell or R user may have only the jar.
    private static final String START_NEW = "start a new safe and use the passphrase and token it prints";

    PasssafeException(String message) {
        super(message);
    }

    PasssafeException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * No passsafe server answers at the URL: it was never started, has expired, or was stopped; or
     * it is so crowded by other connections that it closed this one unread.
     */
    public static final class NoServer extends PasssafeException {
        private static final long serialVersionUID = 1L;

        /** Your own safe listens, but closed the connection before it could be checked: crowding, not a stranger. */
        NoServer(String url) {
            super("the passsafe server at " + url + " closed the connection at once: other connections may be crowding it;"
                    + " try again, or use a client on JDK 16 or newer, which reaches the safe through its private socket");
        }

        NoServer(String url, Throwable cause) {
            super("no passsafe server answers at " + url + ": it may have expired or been stopped; " + START_NEW, cause);
        }
    }

    /** No safe of yours runs on this host, and no end of one is on record. */
    public static final class NoSafe extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NoSafe() {
            super("no safe of yours runs on this host: start one with passsafe --session");
        }
    }

    /** Several safes of yours run and nothing says which one is meant; the message lists them. */
    public static final class SeveralSafes extends PasssafeException {
        private static final long serialVersionUID = 1L;

        SeveralSafes(List<String> safes) {
            super(safes.size() + " safes of yours are running: " + String.join(", ", safes) + "; say which with --port N,"
                    + " PASSSAFE_URL=http://localhost:N, or passsafe.Client.local(\"http://localhost:N\")");
        }
    }

    /** Nothing gives this process the safe's credentials: no session file, no variables, nobody to ask. */
    public static final class NoSession extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NoSession(String url) {
            super("no passsafe session for " + url + ", no PASSSAFE_PASSPHRASE and PASSSAFE_TOKEN, and no terminal to ask on:"
                    + " start the safe with passsafe --session, or set both variables");
        }

        NoSession(java.nio.file.Path file, String why) {
            super("the session file " + file + " cannot be used: " + why + "; remove it and start the safe again with passsafe --session");
        }
    }

    /** The passphrase was to be typed, but no one can be asked without echo here. */
    public static final class NoTerminal extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NoTerminal(String why) {
            super(why + "; use passsafe.Client.local() with a safe started with passsafe --session");
        }
    }

    /** The server did not answer in time. */
    public static final class Timeout extends PasssafeException {
        private static final long serialVersionUID = 1L;

        Timeout(String url, java.time.Duration deadline, Throwable cause) {
            super("the passsafe server at " + url + " did not answer within " + Durations.describe(deadline)
                    + "; check that it is still running, or start a new one", cause);
        }
    }

    /** Another user listens on the safe's port: the token was not sent. */
    public static final class UntrustedServer extends PasssafeException {
        private static final long serialVersionUID = 1L;

        UntrustedServer(String url, String user) {
            super((user != null ? "another user (" + Printable.of(user) + ") is listening on the port of " + url
                    : "cannot tell which user is listening on the port of " + url)
                    + ": it may be trying to catch your token, so the token was not sent;"
                    + " check that your own safe runs there, and tell the host's administrator");
        }
    }

    /** The token was wrong; the safe locks after three wrong tokens. */
    public static final class InvalidToken extends PasssafeException {
        private static final long serialVersionUID = 1L;
        /** The safe's count of wrong tokens still accepted, from its answer. */
        private final int attemptsLeft;

        InvalidToken(int attemptsLeft) {
            super("invalid token: " + Token.attemptsLeft(attemptsLeft) + " before the safe locks; copy the 6-digit token the server printed");
            this.attemptsLeft = attemptsLeft;
        }

        /**
         * How many more wrong tokens the safe accepts before it locks for good.
         *
         * @return 0, 1 or 2
         */
        public int attemptsLeft() {
            return attemptsLeft;
        }
    }

    /**
     * The exception for a safe that ended as {@code state}, {@code where} (such as "on port 8051,
     * which ended at 10:42") or null: the one mapping from a state to what a caller catches.
     */
    static PasssafeException ended(State state, String where) {
        String safe = where == null ? "the safe" : "the safe " + where;
        return state == State.LOCKED ? new Locked(safe) : new Closed(state, safe);
    }

    /** Three wrong tokens were tried: the safe has wiped the secret and refuses everyone. */
    public static final class Locked extends PasssafeException {
        private static final long serialVersionUID = 1L;

        private Locked(String safe) {
            super(safe + " is locked after " + Token.MAX_ATTEMPTS + " invalid tokens: someone may have tried"
                    + " to guess the token; start a new safe and share the password again");
        }
    }

    /**
     * The safe has ended and no longer holds its secrets; the message says which limit ended it:
     * its duration, its uses, its idle time, or its owner.
     */
    public static final class Closed extends PasssafeException {
        private static final long serialVersionUID = 1L;

        /** Which limit ended the safe. */
        private final Reason reason;

        private Closed(State state, String safe) {
            super(safe + " no longer holds its secrets: " + state.reason() + "; " + START_NEW);
            this.reason = Reason.valueOf(state.name());
        }

        /**
         * Which limit ended the safe. A lock is {@link Locked}, not this; its {@code toString()}
         * is the code the wire uses: {@code "used-up".equals(e.reason().toString())}.
         *
         * @return the reason, never null
         */
        public Reason reason() {
            return reason;
        }

        /** The limits that end a safe, besides a lock. */
        public enum Reason {
            /** Its storage duration ran out. */
            EXPIRED,
            /** It handed out the secret as many times as {@code --uses} allowed. */
            USED_UP,
            /** No secret was retrieved for its {@code --idle} time. */
            IDLE,
            /** Its owner stopped it ({@code passsafe stop}). */
            STOPPED,
            /** Its server was interrupted (Ctrl-C, a signal). */
            INTERRUPTED;

            /** The code the wire uses: {@code used-up}. */
            @Override
            public String toString() {
                return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            }
        }
    }

    /** The safe holds no secret of the name asked for; the message lists those it holds. */
    public static final class NoSuchSecret extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NoSuchSecret(String name, List<String> held) {
            super("this safe holds no secret named " + name + "; it holds " + String.join(", ", held)
                    + "; ask for one of those (no token attempt was spent)");
        }
    }

    /**
     * A consumer reported that the database refused this secret, so the safe hands it to no one
     * until {@code passsafe set} replaces it: one refusal, not one per consumer, reaches the
     * database, which may lock the account after a few.
     */
    public static final class Rejected extends PasssafeException {
        private static final long serialVersionUID = 1L;

        Rejected(String name, long epochSeconds) {
            super(line(name, epochSeconds));
        }

        /** The one wording, for the server's answer and the client's exception alike. */
        static String line(String name, long epochSeconds) {
            String at = java.time.format.DateTimeFormatter.ofPattern("HH:mm", java.util.Locale.ROOT)
                    .format(java.time.Instant.ofEpochSecond(epochSeconds).atZone(java.time.ZoneId.systemDefault()));
            return "the database refused secret " + name + " at " + at + "; replace it with passsafe set" + (name.equals(Names.DEFAULT) ? "" : " --secret " + name)
                    + " (nothing was sent to the database, and no use was spent)";
        }
    }

    /** The secret is bytes that are not text (a key or a file, stored with --from-file), and text was asked for. */
    public static final class NotText extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NotText(String name) {
            super("secret " + name + " is not text (a key or a file stored with --from-file): take its bytes with Secret.bytes(),"
                    + " passsafe get --secret " + name + ", or passsafe exec --file VAR=" + name);
        }

        /** The secret's bytes as text, a fresh array the caller wipes; {@code bytes} are wiped. */
        static char[] decode(String name, byte[] bytes) {
            try {
                return Utf8.decode(bytes);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new NotText(name);
            } finally {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** The server is still starting: it has not been given its password yet. */
    public static final class NotReady extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NotReady() {
            super("the safe is not serving yet: it is still asking for its duration and password;"
                    + " try again once it prints Serving on");
        }
    }

    /**
     * The token was right but the passphrase is not the safe's: the safe refused it before counting
     * a use, so the right passphrase still gets the secret.
     */
    public static final class WrongPassphrase extends PasssafeException {
        private static final long serialVersionUID = 1L;

        WrongPassphrase() {
            super("wrong passphrase: it is not this safe's, and no use was spent; copy the six words exactly as the server printed them");
        }
    }

    /** The server answered something this client does not accept: another version, or not passsafe. */
    public static final class UnsupportedServer extends PasssafeException {
        private static final long serialVersionUID = 1L;

        UnsupportedServer(String what) {
            super("the server's answer was refused: " + what + "; use the same passsafe.jar for the server and the client");
        }
    }
}
