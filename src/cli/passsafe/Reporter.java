package passsafe;

import java.io.PrintStream;

/**
 * The one printer of passsafe's own lines on standard error: errors with their hints, notes,
 * warnings, and the server's "try again" lines. Each is one line that starts with {@code passsafe:}.
 */
final class Reporter {
    private final PrintStream err;

    Reporter(PrintStream err) {
        this.err = err;
    }

    void error(Failure failure) {
        line("error: " + failure.getMessage());
        if (failure.hint != null) {
            line("hint: " + failure.hint);
        }
    }

    void note(String note) {
        line("note: " + note);
    }

    void warning(String warning) {
        line("warning: " + warning);
    }

    void retry(String why) {
        line(why);
    }

    private void line(String text) {
        err.println("passsafe: " + text);
        err.flush();
    }
}
