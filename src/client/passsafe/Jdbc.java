package passsafe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A JDBC connection opened with a secret as its password: the password goes into the driver's
 * connection properties, never into a URL, and a driver's exception that quotes it has it replaced.
 */
final class Jdbc {
    static final String REDACTED = "[REDACTED]";

    private Jdbc() {}

    /** {@link DriverManager#getConnection(String, Properties)} as {@code user} with {@code password}. */
    static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw redacted(e, password);
        } finally {
            properties.clear();
        }
    }

    /** The same exception, or, if its message holds the secret, a copy without it and without its cause. */
    static SQLException redacted(SQLException e, String secret) {
        String message = e.getMessage();
        if (message == null || secret.isEmpty() || !message.contains(secret)) {
            return e;
        }
        SQLException copy = new SQLException(message.replace(secret, REDACTED), e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}
