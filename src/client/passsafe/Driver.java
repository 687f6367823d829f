package passsafe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A JDBC driver for URLs that begin {@code jdbc:passsafe:}, so that SQL clients, connection pools
 * and Spark get the password from your safe with no code and never hold it:
 * <pre>{@code
 * DriverManager.getConnection("jdbc:passsafe:postgresql://db.example/sales?user=analyst");
 * }</pre>
 * It unwraps the URL ({@code jdbc:postgresql://db.example/sales?user=analyst}), fetches the
 * secret from the safe a {@link Client} finds (a session-mode safe of yours, else the one that
 * {@code PASSSAFE_PASSPHRASE} and {@code PASSSAFE_TOKEN} open) and hands it to the database's own
 * driver in the connection's properties, never in a URL. Every new connection fetches it again,
 * so the safe's limits hold for pools too. {@code DriverManager} finds it with the jar on the
 * class path; tools that take a driver class name take {@code passsafe.Driver}. It claims no URL
 * but its own.
 */
public final class Driver implements java.sql.Driver {
    /** SQLSTATE of a safe that cannot hand out the secret: none runs, it ended, it locked, it is misnamed. */
    static final String NO_SECRET = "08001";
    /** SQLSTATE of a safe that refuses this client: a wrong token or passphrase, a name it does not hold. */
    static final String REFUSED = "28000";
    static final String REDACTED = "[REDACTED]";

    static {
        try {
            DriverManager.registerDriver(new Driver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Where each connection's password comes from; tests time a rotation through it. */
    interface Source {
        /** The secret {@code target} names, fetched now; the caller wipes its characters. */
        Fetched fetch(DriverUrl target) throws SQLException;

        /**
         * Tells the safe its database refused {@code fetched} ({@link Client#reject}); true when another
         * safe answers now or the secret was replaced since, so a fetch now gets another one.
         */
        boolean reject(DriverUrl target, Fetched fetched) throws SQLException;

        /** Tells the safe that {@code fetched}, handed out on trial, logged in ({@link Client#accept}). */
        void accept(DriverUrl target, Fetched fetched) throws SQLException;
    }

    private final Source source;

    /**
     * The driver as {@code DriverManager}, {@code ServiceLoader} and tools that take a class name
     * make it: it reads this process's environment, as {@link Client#local()} does.
     */
    public Driver() {
        this(fromSafe(System.getenv(), Kdf.MIN_ITERATIONS));
    }

    Driver(Source source) {
        this.source = source;
    }

    /**
     * Connects through the database's own driver with the password from the safe. When the
     * database refuses the login ({@code SQLSTATE} class 28, PostgreSQL's {@code 28P01}), the
     * driver tells the safe: if the secret was replaced since the fetch (or another safe answers
     * now), it fetches once more and tries once more; otherwise the safe marks the secret rejected
     * and hands it to no one (so no other consumer costs the account another failed login) until
     * {@code passsafe set} replaces it, and the database's own exception is thrown, with passsafe's
     * line suppressed in it. A refused login spends at most one use.
     *
     * @param url a {@code jdbc:passsafe:} URL; any other gets null, as JDBC asks
     * @param info the connection's properties; {@code passsafe.secret} and {@code passsafe.port}
     *     are passsafe's, and a {@code password} among them is ignored
     * @return the database driver's connection, or null for a URL that is not passsafe's
     * @throws SQLException {@code 08001} when no safe hands out the secret, {@code 28000} when
     *     the safe refuses (a rejected secret among them), each with passsafe's one-line message;
     *     else the database driver's own exception, with the password, if it shows, replaced by
     *     {@code [REDACTED]}
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        DriverUrl target = target(url, info);
        java.sql.Driver real = realDriver(target.real);
        Fetched fetched = source.fetch(target);
        for (SQLException earlier = null; ; ) {
            try {
                Connection connection = connect(real, target, text(target, fetched));
                if (fetched.trial) {
                    accepted(target, fetched);
                }
                return connection;
            } catch (DatabaseRefused refused) {
                SQLException database = refused.getCause();
                if (earlier != null) {
                    database.addSuppressed(earlier);
                }
                String state = database.getSQLState();
                if (state == null || !state.startsWith("28") || !replacedSince(target, fetched, database) || earlier != null) {
                    throw database;
                }
                earlier = database;
                try {
                    fetched = source.fetch(target);
                } catch (SQLException noSecret) {
                    noSecret.addSuppressed(database);
                    throw noSecret;
                }
            }
        }
    }

    /** The secret as a password: text, which a key or a file stored with {@code --from-file} is not. */
    private static char[] text(DriverUrl target, Fetched fetched) throws SQLException {
        try {
            return fetched.chars(target.secret);
        } catch (PasssafeException.NotText e) {
            throw new SQLException(e.getMessage(), NO_SECRET);
        }
    }

    /** Reports that {@code fetched} worked, so other consumers stop waiting for it; the connection is good whatever the answer. */
    private void accepted(DriverUrl target, Fetched fetched) {
        try {
            source.accept(target, fetched);
        } catch (SQLException | RuntimeException unreported) {
            // The safe ends the trial after a few seconds by itself.
        }
    }

    /**
     * Reports the refusal of {@code fetched} to the safe: true when it was replaced since (fetch
     * again); otherwise the safe now hands it to no one, and passsafe's line is added to {@code database}.
     */
    private boolean replacedSince(DriverUrl target, Fetched fetched, SQLException database) {
        try {
            if (source.reject(target, fetched)) {
                return true;
            }
            database.addSuppressed(new SQLException(PasssafeException.Rejected.line(target.secret, System.currentTimeMillis() / 1000), REFUSED));
        } catch (SQLException unreported) {
            database.addSuppressed(unreported);
        }
        return false;
    }

    private static final class DatabaseRefused extends Exception {
        private static final long serialVersionUID = 1L;

        DatabaseRefused(SQLException cause) {
            super(null, cause, false, false);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private static Connection connect(java.sql.Driver real, DriverUrl target, char[] chars) throws SQLException, DatabaseRefused {
        String password = new String(chars);
        Arrays.fill(chars, '\0');
        Properties properties = new Properties();
        properties.putAll(target.properties);
        properties.setProperty("password", password);
        Connection connection;
        try {
            connection = real.connect(target.real, properties);
        } catch (SQLException e) {
            throw new DatabaseRefused(Redaction.of(e, password));
        } finally {
            properties.clear();
        }
        if (connection == null) {
            throw new SQLException("the driver for " + scheme(target.real) + " (" + real.getClass().getName()
                    + ") did not take the URL: check what follows jdbc:passsafe:", NO_SECRET);
        }
        return connection;
    }

    private static DriverUrl target(String url, Properties info) throws SQLException {
        try {
            return DriverUrl.parse(url, info);
        } catch (IllegalArgumentException malformed) {
            throw new SQLException(malformed.getMessage(), NO_SECRET);
        }
    }

    /** The database's driver, found as DriverManager finds any, never this one. */
    private static java.sql.Driver realDriver(String url) throws SQLException {
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException noSuitableDriver) {
            throw new SQLException("no JDBC driver for " + scheme(url) + " is loaded: put the database's driver jar on the class path"
                    + " beside passsafe.jar", NO_SECRET);
        }
    }

    /** {@code jdbc:postgresql:}: enough of a URL to name its driver, never its parameters. */
    private static String scheme(String url) {
        int colon = url.indexOf(':', "jdbc:".length());
        return colon < 0 ? "jdbc:" : url.substring(0, colon + 1);
    }

    /** The secret from the safe {@link Client#local()} would find, or the one the URL names. */
    static Source fromSafe(Map<String, String> env, int minIterations) {
        return new Source() {
            @Override
            public Fetched fetch(DriverUrl target) throws SQLException {
                return ask(target, client -> client.fetch(target.secret, true));
            }

            @Override
            public boolean reject(DriverUrl target, Fetched fetched) throws SQLException {
                return ask(target, client -> client.reject(target.secret, fetched.version));
            }

            @Override
            public void accept(DriverUrl target, Fetched fetched) throws SQLException {
                ask(target, client -> client.accept(target.secret, fetched.version));
            }

            /** {@code request} of a client of the safe {@code target} names, or that the rule finds; each failure as an SQLException. */
            private <T> T ask(DriverUrl target, Function<Client, T> request) throws SQLException {
                try (Client client = new Locator(env, null, minIterations).client(target.safe, false)) {
                    return request.apply(client);
                } catch (PasssafeException e) {
                    throw new SQLException(e.getMessage(), state(e), e);
                } catch (IllegalArgumentException e) {
                    throw new SQLException(e.getMessage(), NO_SECRET);
                }
            }
        };
    }

    private static String state(PasssafeException e) {
        boolean refused = e instanceof PasssafeException.InvalidToken || e instanceof PasssafeException.WrongPassphrase
                || e instanceof PasssafeException.NoSuchSecret || e instanceof PasssafeException.Rejected;
        return refused ? REFUSED : NO_SECRET;
    }

    /**
     * Whether {@code url} is passsafe's: it begins {@code jdbc:passsafe:}.
     *
     * @param url any JDBC URL
     * @return true only for {@code jdbc:passsafe:} URLs
     */
    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(DriverUrl.PREFIX);
    }

    /**
     * passsafe's properties, then those of the database's driver (if it is loaded) but its password.
     *
     * @param url a {@code jdbc:passsafe:} URL
     * @param info the properties given so far
     * @return what a tool may show in its driver settings
     * @throws SQLException when the URL is malformed
     */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        List<DriverPropertyInfo> all = new ArrayList<>();
        all.add(property(DriverUrl.SECRET, "the secret's name, as given to passsafe --secret; password when unset"));
        all.add(property(DriverUrl.PORT, "the port of your safe, when several run; found when unset"));
        if (acceptsURL(url)) {
            DriverUrl target = target(url, info);
            java.sql.Driver real;
            try {
                real = DriverManager.getDriver(target.real);
            } catch (SQLException notLoaded) {
                return all.toArray(new DriverPropertyInfo[0]);
            }
            for (DriverPropertyInfo property : real.getPropertyInfo(target.real, target.properties)) {
                if (!property.name.equalsIgnoreCase("password")) {
                    all.add(property);
                }
            }
        }
        return all.toArray(new DriverPropertyInfo[0]);
    }

    private static DriverPropertyInfo property(String name, String description) {
        DriverPropertyInfo property = new DriverPropertyInfo(name, null);
        property.description = description;
        return property;
    }

    /**
     * passsafe's major version.
     *
     * @return the first number of the jar's version, 0 for 0.1.0
     */
    @Override
    public int getMajorVersion() {
        return versionPart(0);
    }

    /**
     * passsafe's minor version.
     *
     * @return the second number of the jar's version, 1 for 0.1.0
     */
    @Override
    public int getMinorVersion() {
        return versionPart(1);
    }

    private static int versionPart(int index) {
        String version = Driver.class.getPackage().getImplementationVersion();
        String[] parts = version == null ? new String[0] : version.split("\\.");
        return parts.length > index && parts[index].matches("[0-9]{1,6}") ? Integer.parseInt(parts[index]) : 0;
    }

    /**
     * False: passsafe is a wrapper, and only the database's driver can be compliant.
     *
     * @return false
     */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    /**
     * passsafe logs nothing, so there is no logger to give.
     *
     * @return never
     * @throws SQLFeatureNotSupportedException always, as JDBC asks of a driver that does not use java.util.logging
     */
    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("passsafe's driver does not log");
    }

    /** Says what it is, never a password. */
    @Override
    public String toString() {
        return "passsafe.Driver[" + DriverUrl.PREFIX + "]";
    }
}
