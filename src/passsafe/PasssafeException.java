package passsafe;

import java.util.List;

/**
 * Why a {@link Client} could not hand out the secret. Each cause is its own subtype, so callers
 * can catch exactly what they can handle; every message says what to do next and never contains
 * the passphrase, the token or the secret. Callers can catch these but not construct them.
 */
public abstract class PasssafeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PasssafeException(String message) {
        super(message);
    }

    PasssafeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No passsafe server answers at the URL: it was never started, has expired, or was stopped. */
    public static final class NoServer extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NoServer(String url, Throwable cause) {
            super(Messages.noServer(url), cause);
        }
    }

    /** The server did not answer in time. */
    public static final class Timeout extends PasssafeException {
        private static final long serialVersionUID = 1L;

        Timeout(String url, java.time.Duration deadline, Throwable cause) {
            super(Messages.timeout(url, deadline), cause);
        }
    }

    /** Another user listens on the safe's port: the token was not sent. */
    public static final class UntrustedServer extends PasssafeException {
        private static final long serialVersionUID = 1L;

        UntrustedServer(String url, String user) {
            super(Messages.untrustedServer(url, user));
        }
    }

    /** The token was wrong; the safe locks after three wrong tokens. */
    public static final class InvalidToken extends PasssafeException {
        private static final long serialVersionUID = 1L;
        private final int attemptsLeft;

        InvalidToken(int attemptsLeft) {
            super(Messages.invalidTokenException(attemptsLeft));
            this.attemptsLeft = attemptsLeft;
        }

        /** How many more wrong tokens the safe accepts before it locks for good. */
        public int attemptsLeft() {
            return attemptsLeft;
        }
    }

    /** Three wrong tokens were tried: the safe has wiped the secret and refuses everyone. */
    public static final class Locked extends PasssafeException {
        private static final long serialVersionUID = 1L;

        Locked() {
            super(Messages.LOCKED_EXCEPTION);
        }
    }

    /**
     * The safe has ended and no longer holds its secrets; the message says which limit ended it:
     * its duration, its uses, its idle time, or its owner.
     */
    public static final class Closed extends PasssafeException {
        private static final long serialVersionUID = 1L;

        private final String reason;

        Closed(Safe.State state) {
            super(Messages.closedException(state));
            this.reason = state.code();
        }

        /**
         * Which limit ended the safe: {@code expired}, {@code used-up}, {@code idle},
         * {@code stopped} or {@code interrupted}.
         */
        public String reason() {
            return reason;
        }
    }

    /** The safe holds no secret of the name asked for; the message lists those it holds. */
    public static final class NoSuchSecret extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NoSuchSecret(String name, List<String> held) {
            super(Messages.noSuchSecretException(name, held));
        }
    }

    /** The server is still starting: it has not been given its password yet. */
    public static final class NotReady extends PasssafeException {
        private static final long serialVersionUID = 1L;

        NotReady() {
            super(Messages.NOT_READY_EXCEPTION);
        }
    }

    /** The token was right but the passphrase does not decrypt the secret. */
    public static final class WrongPassphrase extends PasssafeException {
        private static final long serialVersionUID = 1L;

        WrongPassphrase() {
            super(Messages.WRONG_PASSPHRASE);
        }
    }

    /** The server answered something this client does not accept: another version, or not passsafe. */
    public static final class UnsupportedServer extends PasssafeException {
        private static final long serialVersionUID = 1L;

        UnsupportedServer(String what) {
            super(Messages.unsupportedServer(what));
        }
    }
}
