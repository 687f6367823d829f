package passsafe;

/**
 * A failure to report to the user as one line {@code passsafe: error: ...}, perhaps with a
 * {@code passsafe: hint: ...} line, and the exit status that goes with it.
 */
final class Failure extends Exception {
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final long serialVersionUID = 1L;

    final int status;
    final String hint;
    /** The usage text to print after the error, for errors in the command line. */
    final String usage;

    private Failure(int status, String message, String hint, String usage) {
        super(message, null, false, false);
        this.status = status;
        this.hint = hint;
        this.usage = usage;
    }

    /** A command-line error; {@code usage} is printed after it. */
    static Failure usage(String message, String usage) {
        return new Failure(USAGE, message, null, usage);
    }

    /** Input that cannot be used, from a pipe where there is no one to ask again. */
    static Failure input(String message, String hint) {
        return new Failure(USAGE, message, hint, null);
    }

    /** A user's argument as it may be echoed in a message: short and plain, or not at all. */
    static String shown(String arg) {
        return arg.length() <= 40 && arg.matches("[-A-Za-z0-9=]*") ? arg : "(unprintable)";
    }

    static Failure of(String message, String hint) {
        return new Failure(FAILED, message, hint, null);
    }
}
