package passsafe;

/**
 * A failure to report to the user as one line {@code passsafe: error: ...}, perhaps with a
 * {@code passsafe: hint: ...} line, and the exit status that goes with it. Only {@link Main}
 * prints one, through {@link Reporter}.
 */
final class Failure extends Exception {
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final long serialVersionUID = 1L;

    final int status;
    final String hint;

    private Failure(int status, String message, String hint) {
        super(message, null, false, false);
        this.status = status;
        this.hint = hint;
    }

    /**
     * A usage error: a command line, or input from a pipe or the environment, that cannot be
     * used, where there is no one to ask again. Exit status 2.
     */
    static Failure usage(String message, String hint) {
        return new Failure(USAGE, message, hint);
    }

    static Failure of(String message, String hint) {
        return new Failure(FAILED, message, hint);
    }
}
