package passsafe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

/**
 * A database driver's exception with the password taken out of it, wherever it shows: some
 * drivers put what they were given in their messages, and an exception travels to logs, a
 * notebook's output, a tool's error dialog.
 */
final class Redaction {
    private Redaction() {}

    /**
     * The same exception, or, if the secret shows anywhere in it (its message, its causes, its
     * next exceptions or suppressed ones, as written, URL-encoded or JSON-escaped), a copy of the
     * whole graph, each message with every form of the secret replaced by {@link Driver#REDACTED}.
     */
    static SQLException of(SQLException e, String secret) {
        if (secret.isEmpty()) {
            return e;
        }
        List<String> forms = List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
                secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
        return shows(e, forms, 0) ? (SQLException) copy(e, forms, 0) : e;
    }

    /** How deep a driver's exception graph is followed: far enough for any real one, finite for a cycle. */
    private static final int MAX_DEPTH = 16;

    private static boolean shows(Throwable e, List<String> forms, int depth) {
        if (e == null || depth > MAX_DEPTH) {
            return false;
        }
        for (String form : forms) {
            if (String.valueOf(e.getMessage()).contains(form)) {
                return true;
            }
        }
        for (Throwable suppressed : e.getSuppressed()) {
            if (shows(suppressed, forms, depth + 1)) {
                return true;
            }
        }
        return shows(e.getCause(), forms, depth + 1) || e instanceof SQLException && shows(((SQLException) e).getNextException(), forms, depth + 1);
    }

    private static Throwable copy(Throwable e, List<String> forms, int depth) {
        String message = e.getMessage();
        for (String form : forms) {
            message = message == null ? null : message.replace(form, Driver.REDACTED);
        }
        SQLException sql = e instanceof SQLException ? (SQLException) e : null;
        SQLException copy = new SQLException(message, sql == null ? null : sql.getSQLState(), sql == null ? 0 : sql.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        if (depth < MAX_DEPTH) {
            if (e.getCause() != null) {
                copy.initCause(copy(e.getCause(), forms, depth + 1));
            }
            if (sql != null && sql.getNextException() != null) {
                copy.setNextException((SQLException) copy(sql.getNextException(), forms, depth + 1));
            }
            for (Throwable suppressed : e.getSuppressed()) {
                copy.addSuppressed(copy(suppressed, forms, depth + 1));
            }
        }
        return copy;
    }
}
