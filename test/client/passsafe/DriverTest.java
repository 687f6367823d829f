package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * passsafe.Driver in front of a database driver that records what it is handed ({@code
 * jdbc:recording:}) and answers with the SQLSTATE it is told to, against a real safe.
 */
class DriverTest {
    private static final String SECRET = "Db-" + Long.toHexString(System.nanoTime());

    /** A database's driver as passsafe's sees it: it records each URL and properties, then fails as told. */
    static final class Recording implements java.sql.Driver {
        final List<String> urls = new CopyOnWriteArrayList<>();
        final List<Properties> seen = new CopyOnWriteArrayList<>();
        final List<String> answers = new CopyOnWriteArrayList<>();

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            if (!acceptsURL(url)) {
                return null;
            }
            urls.add(url);
            Properties copy = new Properties();
            copy.putAll(info);
            seen.add(copy);
            String state = answers.isEmpty() ? "XX000" : answers.remove(0);
            if (state.equals("LEAKS")) {
                throw leaking(info.getProperty("password"));
            }
            throw new SQLException(state.equals("28P01") ? "password authentication failed for user \"analyst\""
                    : "refused with password " + info.getProperty("password"), state);
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:recording:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[] {new DriverPropertyInfo("user", null), new DriverPropertyInfo("password", null)};
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }
    }

    /** A careless driver's failure: the password in its cause, its next exception, URL-encoded and JSON-escaped in suppressed ones. */
    static SQLException leaking(String password) {
        SQLException top = new SQLException("login failed", "XX000");
        top.initCause(new IllegalStateException("cause: tried " + password));
        top.setNextException(new SQLException("next: tried " + password, "XX000"));
        top.addSuppressed(new RuntimeException("suppressed: GET /login?password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8)));
        top.addSuppressed(new RuntimeException("suppressed: {\"password\":\"" + password.replace("\"", "\\\"").replace("/", "\\/") + "\"}"));
        return top;
    }

    @Test
    void connect_passwordAnywhereInTheDriversExceptionGraph_isRedactedEverywhere() throws Exception {
        String secret = "p@ss/w\u00f6rd \"q\" & more";
        try (Fixture special = new Fixture(secret)) {
            database.answers.add("LEAKS");
            Driver driver = new Driver(Driver.fromSafe(Map.of(Locator.PASSPHRASE, special.passphrase, Locator.TOKEN, special.token), Fixture.CHEAP));
            SQLException e = assertThrows(SQLException.class, () -> driver.connect(
                    "jdbc:passsafe:recording://db.example/sales?user=analyst&passsafe.port=" + special.server.port(), new Properties()));
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            for (SQLException next = e; next != null; next = next.getNextException()) {
                next.printStackTrace(new java.io.PrintWriter(trace));
            }
            String all = trace.toString();
            for (String form : List.of(secret, java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8), secret.replace("\"", "\\\"").replace("/", "\\/"))) {
                assertFalse(all.contains(form), "the secret shows as " + form + " in:\n" + all);
            }
            assertTrue(all.contains("cause: tried [REDACTED]") && all.contains("next: tried [REDACTED]") && all.contains("password=[REDACTED]")
                    && all.contains("{\"password\":\"[REDACTED]\"}"), all);
            assertEquals("XX000", e.getSQLState(), "the database's own SQLSTATE");

            // Through DriverManager, with its log on: the log holds none of it either.
            List<java.sql.Driver> registered = new java.util.ArrayList<>();
            for (java.sql.Driver loaded : java.util.Collections.list(DriverManager.getDrivers())) {
                if (loaded instanceof Driver) {
                    registered.add(loaded);
                    DriverManager.deregisterDriver(loaded);
                }
            }
            java.io.StringWriter log = new java.io.StringWriter();
            DriverManager.setLogWriter(new java.io.PrintWriter(log, true));
            DriverManager.registerDriver(driver);
            try {
                database.answers.add("LEAKS");
                SQLException viaManager = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                        "jdbc:passsafe:recording://db.example/sales?user=analyst&passsafe.port=" + special.server.port()));
                java.io.StringWriter printed = new java.io.StringWriter();
                viaManager.printStackTrace(new java.io.PrintWriter(printed));
                // What the database's driver logs itself, as it builds its exceptions, passsafe cannot reach; what
                // DriverManager logs of the exception passsafe's driver throws, it can.
                String manager = log.toString().substring(log.toString().lastIndexOf("getConnection failed: "));
                for (String form : List.of(secret, java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8))) {
                    assertFalse(manager.contains(form) || printed.toString().contains(form), manager + "\n" + printed);
                }
                assertEquals("XX000", viaManager.getSQLState(), viaManager.toString());
            } finally {
                DriverManager.setLogWriter(null);
                DriverManager.deregisterDriver(driver);
                for (java.sql.Driver loaded : registered) {
                    DriverManager.registerDriver(loaded);
                }
            }
        }
    }

    private final Recording database = new Recording();
    private Fixture safe;

    @BeforeEach
    void start() throws Exception {
        DriverManager.registerDriver(database);
        safe = new Fixture(SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        safe.close();
        DriverManager.deregisterDriver(database);
    }

    /** The driver with the safe's passphrase and token in its environment, as a shell's export gives them. */
    private Driver driver() {
        return new Driver(Driver.fromSafe(Map.of(Locator.PASSPHRASE, safe.passphrase, Locator.TOKEN, safe.token), Fixture.CHEAP));
    }

    private String url(String rest) {
        return "jdbc:passsafe:recording://db.example/sales?user=analyst&passsafe.port=" + safe.server.port() + rest;
    }

    /** Neither the message nor toString(), of the exception or its cause, shows the secret, the token or the passphrase. */
    private void assertNothingSecret(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String shown : List.of(String.valueOf(t.getMessage()), t.toString())) {
                assertFalse(shown.contains(SECRET) || shown.contains(safe.token) || Fixture.showsPassphrase(shown, safe.passphrase), shown);
            }
        }
    }

    @Test
    void acceptsUrl_onlyPasssafes() {
        Driver driver = new Driver();
        assertTrue(driver.acceptsURL("jdbc:passsafe:postgresql://db/x"));
        assertFalse(driver.acceptsURL("jdbc:postgresql://db/x"));
        assertFalse(driver.acceptsURL("jdbc:recording://db/x"));
        assertFalse(driver.acceptsURL("passsafe:postgresql://db/x"));
        assertFalse(driver.acceptsURL(null));
    }

    @Test
    void connect_otherUrl_isNull() throws Exception {
        assertNull(driver().connect("jdbc:recording://db.example/sales", new Properties()));
        assertEquals(List.of(), database.urls, "the database's driver was called through passsafe's");
    }

    @Test
    void driverManager_findsPasssafesDriverForItsUrlsOnly() throws Exception {
        assertInstanceOf(Driver.class, DriverManager.getDriver("jdbc:passsafe:recording://db/x"));
        assertInstanceOf(Recording.class, DriverManager.getDriver("jdbc:recording://db/x"));
    }

    @Test
    void connect_handsTheDatabasesDriverTheUnwrappedUrlAndThePasswordInItsProperties() throws Exception {
        Properties info = new Properties();
        info.setProperty("ssl", "false");
        info.setProperty("password", "what-the-tool-saved");
        SQLException e = assertThrows(SQLException.class, () -> driver().connect(url("&password=typed&application_name=report"), info));
        assertEquals("XX000", e.getSQLState());
        assertEquals(List.of("jdbc:recording://db.example/sales?user=analyst&application_name=report"), database.urls);
        Properties seen = database.seen.get(0);
        assertEquals(Map.of("ssl", "false", "password", SECRET), Map.copyOf(seen), "a tool's password is ignored, passsafe's own go");
        assertEquals("refused with password [REDACTED]", e.getMessage(), "the database driver's message, without the password");
        assertFalse(e.toString().contains(SECRET));
    }

    @Test
    void connect_semicolonParameters_passwordAndPasssafesOwnTakenOutToo() throws Exception {
        // The form of SQL Server's, Derby's and H2's URLs; the fuzz target driverUrl_neverPassesAPasswordOn found it passed on.
        String url = "jdbc:passsafe:recording://db.example:1433;databaseName=sales;Password=typed;passsafe.port=" + safe.server.port()
                + ";user=analyst";
        SQLException e = assertThrows(SQLException.class, () -> driver().connect(url, new Properties()));
        assertEquals("XX000", e.getSQLState());
        assertEquals(List.of("jdbc:recording://db.example:1433;databaseName=sales;user=analyst"), database.urls);
        assertEquals(SECRET, database.seen.get(0).getProperty("password"));
    }

    @Test
    void connect_namedSecretAsPropertyOrUrlParameter_urlWins() throws Exception {
        Properties info = new Properties();
        info.setProperty("passsafe.secret", "warehouse");
        SQLException e = assertThrows(SQLException.class, () -> driver().connect(url(""), info));
        assertEquals(Driver.REFUSED, e.getSQLState(), "the fixture holds only 'password'");
        assertEquals("this safe holds no secret named warehouse; it holds password; ask for one of those (no token attempt was spent)", e.getMessage());
        e = assertThrows(SQLException.class, () -> driver().connect(url("&passsafe.secret=password"), info));
        assertEquals("XX000", e.getSQLState(), "the URL's passsafe.secret won, and the default secret was fetched");
        assertEquals(SECRET, database.seen.get(0).getProperty("password"));
    }

    /** A source that counts its fetches, and runs {@code beforeReject} before each report of a refusal. */
    private Driver counting(AtomicInteger fetches, Runnable beforeReject) {
        Driver.Source real = Driver.fromSafe(Map.of(Locator.PASSPHRASE, safe.passphrase, Locator.TOKEN, safe.token), Fixture.CHEAP);
        return new Driver(new Driver.Source() {
            @Override
            public Fetched fetch(DriverUrl target) throws SQLException {
                fetches.incrementAndGet();
                return real.fetch(target);
            }

            @Override
            public boolean reject(DriverUrl target, Fetched fetched) throws SQLException {
                beforeReject.run();
                return real.reject(target, fetched);
            }

            @Override
            public void accept(DriverUrl target, Fetched fetched) throws java.sql.SQLException {
                real.accept(target, fetched);
            }
        });
    }

    private void replace(String secret) {
        try (Client client = safe.client()) {
            client.replace(Names.DEFAULT, secret.toCharArray());
        }
    }

    @Test
    void connect_authenticationFailure_sameSecret_theDatabasesErrorAfterOneFetch_thenTheSafeRefusesWithoutALogin() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        Driver driver = counting(fetches, () -> {});
        database.answers.add("28P01");
        SQLException e = assertThrows(SQLException.class, () -> driver.connect(url(""), new Properties()));
        assertEquals(List.of("28P01", 1, 1), List.of(e.getSQLState(), fetches.get(), database.urls.size()),
                "the database's error; one fetch, one login: the same secret again would be refused again");
        SQLException line = assertInstanceOf(SQLException.class, e.getSuppressed()[0]);
        assertEquals(Driver.REFUSED, line.getSQLState());
        assertTrue(line.getMessage().startsWith("the database refused secret password at "), line.getMessage());
        assertEquals(List.of(1, 1), List.of(safe.safe.status().retrievals, safe.safe.status().rejected), "one use spent, the secret rejected");

        for (int i = 0; i < 3; i++) {
            SQLException refused = assertThrows(SQLException.class, () -> driver.connect(url(""), new Properties()));
            assertEquals(Driver.REFUSED, refused.getSQLState());
            assertTrue(refused.getMessage().endsWith("replace it with passsafe set (nothing was sent to the database, and no use was spent)"),
                    refused.getMessage());
        }
        assertEquals(List.of(1, 1, 3), List.of(database.urls.size(), safe.safe.status().retrievals, safe.safe.status().attemptsLeft),
                "no login, no use, no attempt for a rejected secret");

        replace(SECRET + "-new");
        database.answers.add("XX000");
        assertEquals("XX000", assertThrows(SQLException.class, () -> driver.connect(url(""), new Properties())).getSQLState(),
                "replaced: handed out and tried again");
        assertEquals(SECRET + "-new", database.seen.get(1).getProperty("password"));
    }

    @Test
    void connect_authenticationFailure_secretReplacedSinceTheFetch_fetchesAgainAndRetriesOnce() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        AtomicInteger rotations = new AtomicInteger();
        Driver driver = counting(fetches, () -> replace(SECRET + "-" + rotations.incrementAndGet()));
        database.answers.addAll(List.of("28P01", "XX000"));
        SQLException e = assertThrows(SQLException.class, () -> driver.connect(url(""), new Properties()));
        assertEquals(List.of("XX000", 2, 2), List.of(e.getSQLState(), fetches.get(), database.urls.size()));
        assertEquals("28P01", e.getSuppressed()[0] instanceof SQLException ? ((SQLException) e.getSuppressed()[0]).getSQLState() : "none");
        assertEquals(SECRET + "-1", database.seen.get(1).getProperty("password"), "the second login had the new secret");

        database.answers.addAll(List.of("28P01", "28P01", "28P01"));
        e = assertThrows(SQLException.class, () -> driver.connect(url(""), new Properties()));
        assertEquals(List.of("28P01", 4, 4), List.of(e.getSQLState(), fetches.get(), database.urls.size()), "never more than one retry");
        assertEquals(0, safe.safe.status().rejected, "each refused version was replaced before its report");
    }

    @Test
    void connect_otherFailure_isNotRetried() throws Exception {
        database.answers.add("08006");
        SQLException e = assertThrows(SQLException.class, () -> driver().connect(url(""), new Properties()));
        assertEquals(List.of("08006", 1), List.of(e.getSQLState(), database.urls.size()));
    }

    @Test
    void connect_wrongToken_isRefusedWithPasssafesLine() {
        Driver driver = new Driver(Driver.fromSafe(Map.of(Locator.PASSPHRASE, safe.passphrase, Locator.TOKEN, safe.wrongToken()), Fixture.CHEAP));
        SQLException e = assertThrows(SQLException.class, () -> driver.connect(url(""), new Properties()));
        assertEquals(Driver.REFUSED, e.getSQLState());
        assertNothingSecret(e);
        assertEquals("invalid token: 2 attempts left before the safe locks; copy the 6-digit token the server printed", e.getMessage());
        assertEquals(List.of(), database.urls, "the database was not tried");
    }

    @Test
    void connect_wrongPassphrase_isRefused() {
        Driver driver = new Driver(Driver.fromSafe(Map.of(Locator.PASSPHRASE, Fixture.someWords(), Locator.TOKEN, safe.token), Fixture.CHEAP));
        SQLException e = assertThrows(SQLException.class, () -> driver.connect(url(""), new Properties()));
        assertEquals(Driver.REFUSED, e.getSQLState());
        assertNothingSecret(e);
        assertTrue(e.getMessage().startsWith("wrong passphrase: "), e.getMessage());
    }

    @Test
    void connect_lockedSafe_noSecretWithPasssafesLine() {
        Driver wrong = new Driver(Driver.fromSafe(Map.of(Locator.PASSPHRASE, safe.passphrase, Locator.TOKEN, safe.wrongToken()), Fixture.CHEAP));
        for (int i = 0; i < Token.MAX_ATTEMPTS; i++) {
            assertThrows(SQLException.class, () -> wrong.connect(url(""), new Properties()));
        }
        SQLException e = assertThrows(SQLException.class, () -> driver().connect(url(""), new Properties()));
        assertEquals(Driver.NO_SECRET, e.getSQLState());
        assertNothingSecret(e);
        assertEquals(PasssafeException.ended(State.LOCKED, null).getMessage(), e.getMessage());
    }

    @Test
    void connect_endedSafe_noSecretWithTheReason() {
        safe.safe.end(State.STOPPED);
        SQLException e = assertThrows(SQLException.class, () -> driver().connect(url(""), new Properties()));
        assertEquals(Driver.NO_SECRET, e.getSQLState());
        assertNothingSecret(e);
        assertTrue(e.getMessage().startsWith("the safe no longer holds its secrets: "), e.getMessage());
        assertInstanceOf(PasssafeException.Closed.class, e.getCause());
    }

    @Test
    void connect_noSafeOnThePort_noSecret() throws Exception {
        int closed = Fixture.closedPort();
        String url = "jdbc:passsafe:recording://db/x?passsafe.port=" + closed;
        SQLException e = assertThrows(SQLException.class, () -> driver().connect(url, new Properties()));
        assertEquals(Driver.NO_SECRET, e.getSQLState());
        assertNothingSecret(e);
        assertTrue(e.getMessage().startsWith("no passsafe server answers at http://localhost:" + closed + ": "), e.getMessage());
    }

    @Test
    void connect_noSafeOnTheNamedPort_saysSoAndHowToStartOne() throws Exception {
        int closed = Fixture.closedPort();
        Driver driver = new Driver(Driver.fromSafe(Map.of("XDG_RUNTIME_DIR", "/nonexistent"), Fixture.CHEAP));
        SQLException e = assertThrows(SQLException.class, () -> driver.connect("jdbc:passsafe:recording://db/x?passsafe.port=" + closed, new Properties()));
        assertEquals(Driver.NO_SECRET, e.getSQLState());
        assertNothingSecret(e);
        assertEquals("no passsafe server answers at http://localhost:" + closed + ": it may have expired or been stopped;"
                + " start a new safe and use the passphrase and token it prints", e.getMessage());
    }

    @Test
    void connect_malformedUrlsAndProperties_oneLineEach() {
        Map<String, String> said = new java.util.LinkedHashMap<>();
        for (String url : List.of("jdbc:passsafe:", "jdbc:passsafe:passsafe:postgresql://db/x", "jdbc:passsafe://db/x",
                "jdbc:passsafe:recording://db/x?passsafe.secrte=a", "jdbc:passsafe:recording://db/x?passsafe.url=http://localhost:8052",
                "jdbc:passsafe:recording://db/x?passsafe.port=99999",
                "jdbc:passsafe:recording://db/x?passsafe.secret=No%20Such", "jdbc:passsafe:nosuchdb://db/x?passsafe.port=1")) {
            SQLException e = assertThrows(SQLException.class, () -> driver().connect(url, new Properties()), url);
            assertEquals(Driver.NO_SECRET, e.getSQLState(), url);
            said.put(url, e.getMessage());
        }
        String wrapped = "a passsafe JDBC URL is jdbc:passsafe: followed by the database driver's URL without its jdbc: prefix,"
                + " such as jdbc:passsafe:postgresql://db.example/sales?user=analyst";
        assertEquals(List.of(wrapped, wrapped, wrapped,
                "unknown property passsafe.secrte: passsafe's are passsafe.secret and passsafe.port",
                "unknown property passsafe.url: passsafe's are passsafe.secret and passsafe.port",
                "passsafe.port must be a port number from 1 to 65535, such as 8052",
                "a secret's name is " + Names.RULE,
                "no JDBC driver for jdbc:nosuchdb: is loaded: put the database's driver jar on the class path beside passsafe.jar"),
                new ArrayList<>(said.values()));
        assertEquals(List.of(), database.urls);
    }

    @Test
    void getPropertyInfo_passsafesThenTheDatabasesButItsPassword() throws Exception {
        List<String> names = Arrays.stream(new Driver().getPropertyInfo("jdbc:passsafe:recording://db/x", new Properties()))
                .map(property -> property.name).collect(Collectors.toList());
        assertEquals(List.of("passsafe.secret", "passsafe.port", "user"), names);
        assertEquals(2, new Driver().getPropertyInfo("jdbc:passsafe:nosuchdb://db/x", new Properties()).length);
    }

    /** The jar alone, as a tool loads it: its service entry names the driver, whose version is the jar's. */
    @Test
    void serviceEntryAndVersions_areThisJars() throws Exception {
        try (java.net.URLClassLoader jar = new java.net.URLClassLoader(new java.net.URL[] {JarServer.JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            List<java.sql.Driver> found = new ArrayList<>();
            java.util.ServiceLoader.load(java.sql.Driver.class, jar).forEach(found::add);
            assertEquals(List.of("passsafe.Driver"), found.stream().map(d -> d.getClass().getName()).collect(Collectors.toList()));
            String version;
            try (java.util.jar.JarFile file = new java.util.jar.JarFile(JarServer.JAR.toFile())) {
                version = file.getManifest().getMainAttributes().getValue("Implementation-Version");
            }
            java.sql.Driver driver = found.get(0);
            assertTrue(version.startsWith(driver.getMajorVersion() + "." + driver.getMinorVersion() + "."),
                    "the jar's version " + version + " against " + driver.getMajorVersion() + "." + driver.getMinorVersion());
        }
    }

    @Test
    void complianceAndLogger_areAWrappers() {
        Driver driver = new Driver();
        assertFalse(driver.jdbcCompliant());
        assertThrows(SQLFeatureNotSupportedException.class, driver::getParentLogger);
        assertFalse(driver.toString().contains(SECRET));
    }
}
