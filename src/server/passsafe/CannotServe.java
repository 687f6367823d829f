package passsafe;

/**
 * Why a safe cannot start serving (its port or its directory taken, its session file unwritable),
 * and what to do about it; the command line says both, as its error and its hint.
 */
final class CannotServe extends Exception {
    private static final long serialVersionUID = 1L;

    final String hint;

    CannotServe(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }
}
