package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JDBC tools that take only a URL, with passsafe.Driver between them and a real PostgreSQL: the
 * JDK's DriverManager, a connection pool (HikariCP), a SQL command-line client (sqlline, in a
 * process of its own), and a password rotated under a running program. Each safe is a real jar
 * server in session mode with real defaults; the URLs name no port unless they say so, as the
 * driver finds the user's one running safe.
 */
class JdbcToolsTest {
    private static final Path SQLLINE = Path.of(System.getProperty("passsafe.sqlline", "build/lib/sqlline"));
    private static final Path PGJDBC = Path.of(System.getProperty("passsafe.pgjdbc", "build/lib/postgresql-42.7.4.jar"));
    private static final String ROLE = "analyst";
    private static final String PASSWORD = "Jdbc-" + Long.toHexString(System.nanoTime());
    private static Postgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = Postgres.start();
        postgres.sql("create role " + ROLE + " login password '" + PASSWORD + "'");
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String url(String user, String more) {
        return "jdbc:passsafe:postgresql://127.0.0.1:" + postgres.port + "/postgres?user=" + user + more;
    }

    private static JarServer sessionSafe(String stdin, String... options) throws Exception {
        List<String> command = JarServer.jar("--session");
        command.addAll(List.of(options));
        JarServer safe = JarServer.started(stdin, command);
        List<Locator.Found> running = new Locator(System.getenv(), null, Kdf.MIN_ITERATIONS).running();
        assertEquals(List.of(safe.port), running.stream().map(r -> r.url.port).collect(java.util.stream.Collectors.toList()),
                "another safe of this user runs, so the URL without a port cannot name this one");
        return safe;
    }

    private static String currentUser(Connection db) throws SQLException {
        try (ResultSet rows = db.createStatement().executeQuery("select current_user")) {
            assertTrue(rows.next());
            return rows.getString(1);
        }
    }

    @Test
    @SuppressWarnings("try") // the safe runs for the block; the URL does not name it
    void driverManager_urlAlone_logsInWithTheDefaultSecret() throws Exception {
        try (JarServer safe = sessionSafe("5\n" + PASSWORD + "\n");
                Connection db = DriverManager.getConnection(url(ROLE, ""))) {
            assertEquals(ROLE, currentUser(db));
        }
    }

    @Test
    void driverManager_namedSecretOnANamedPort_logsIn() throws Exception {
        try (JarServer safe = sessionSafe("5\nnot-this-one\n" + PASSWORD + "\n", "--secret", "api", "--secret", "warehouse")) {
            Properties info = new Properties();
            info.setProperty("passsafe.secret", "warehouse");
            try (Connection db = DriverManager.getConnection(url(ROLE, "&passsafe.port=" + safe.port), info)) {
                assertEquals(ROLE, currentUser(db));
            }
        }
    }

    @Test
    void driverManager_otherUrls_goToTheirOwnDriver() throws Exception {
        String plain = "jdbc:postgresql://127.0.0.1:" + postgres.port + "/postgres";
        assertEquals("org.postgresql.Driver", DriverManager.getDriver(plain).getClass().getName());
        assertFalse(new Driver().acceptsURL(plain));
        assertInstanceOf(Driver.class, DriverManager.getDriver(url(ROLE, "")));
        try (Connection db = DriverManager.getConnection(plain, ROLE, PASSWORD)) {
            assertEquals(ROLE, currentUser(db));
        }
    }

    @Test
    void driverManager_noSafe_oneLineAndNoSecret() throws Exception {
        int closed = Fixture.closedPort();
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url(ROLE, "&passsafe.port=" + closed)));
        assertEquals(Driver.NO_SECRET, e.getSQLState());
        assertTrue(e.getMessage().startsWith("no passsafe server answers at http://localhost:" + closed + ": "), e.getMessage());
    }

    /**
     * HikariCP given only the URL and the user: each physical connection fetches the secret, so
     * a safe of two uses gives two connections and the third fails with passsafe's line.
     */
    @Test
    @SuppressWarnings("try") // the safe runs for the block; the URL does not name it
    void hikari_urlAndUserOnly_connectsUntilTheUsesRunOut() throws Exception {
        try (JarServer safe = sessionSafe("5\n" + PASSWORD + "\n", "--uses", "2")) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url(ROLE, "").replace("?user=" + ROLE, ""));
            config.setUsername(ROLE);
            config.setMaximumPoolSize(3);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(3000);
            // Else the pool's start-up check opens (and, with no minimum idle, closes) a connection of its own: a use.
            config.setInitializationFailTimeout(-1);
            try (HikariDataSource pool = new HikariDataSource(config);
                    Connection first = pool.getConnection();
                    Connection second = pool.getConnection()) {
                assertEquals(ROLE, currentUser(first));
                assertEquals(ROLE, currentUser(second));
                SQLException e = assertThrows(SQLException.class, pool::getConnection);
                SQLException cause = assertInstanceOf(SQLException.class, e.getCause(), e.toString());
                assertEquals(Driver.NO_SECRET, cause.getSQLState());
                // Used up, the safe exited: its record says so, with where and when.
                assertTrue(cause.getMessage().matches("the safe on port " + safe.port + ", which ended at [0-9:]{5}, no longer holds its secrets:"
                        + " its uses are used up; start a new safe and use the passphrase and token it prints"), cause.getMessage());
                assertFalse(e.toString().contains(PASSWORD) || cause.toString().contains(PASSWORD));
            }
        }
    }

    /** sqlline, a JDBC command-line client, with the URL alone: the password it is given is ignored. */
    @Test
    @SuppressWarnings("try") // the safe runs for the block; the URL does not name it
    void sqlline_urlAlone_selectsCurrentUser() throws Exception {
        try (JarServer safe = sessionSafe("5\n" + PASSWORD + "\n")) {
            ProcessBuilder builder = new ProcessBuilder(JarServer.jdkTool("java").toString(),
                    "-cp", JarServer.JAR.toAbsolutePath() + ":" + PGJDBC.toAbsolutePath() + ":" + SQLLINE.toAbsolutePath() + "/*",
                    "sqlline.SqlLine", "-u", url(ROLE, ""), "-n", ROLE, "-p", "not-the-password",
                    "--outputformat=csv", "--showHeader=false", "-e", "select current_user;").redirectErrorStream(true);
            builder.environment().remove(Locator.PASSPHRASE);
            builder.environment().remove(Locator.TOKEN);
            Process sqlline = builder.start();
            sqlline.getOutputStream().close();
            String said = new String(sqlline.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(sqlline.waitFor(120, TimeUnit.SECONDS), "sqlline did not end");
            assertEquals(0, sqlline.exitValue(), said);
            assertTrue(said.contains("'" + ROLE + "'\n"), said);
            assertFalse(said.contains(PASSWORD));
        }
    }

    /**
     * The role's password changes and a new safe holds the new one, between the driver's fetch
     * and its login: the login fails (28P01), another safe answers now, so the driver fetches once
     * more, from the new safe, and the second login succeeds.
     */
    @Test
    void rotation_authenticationFailure_isRetriedOnceWithTheNewSecret() throws Exception {
        String role = "rotating";
        String before = "Old-" + Long.toHexString(System.nanoTime());
        String after = "New-" + Long.toHexString(System.nanoTime());
        postgres.sql("create role " + role + " login password '" + before + "'");
        JarServer[] safes = {sessionSafe("5\n" + before + "\n"), null};
        AtomicInteger fetches = new AtomicInteger();
        Driver.Source real = Driver.fromSafe(System.getenv(), Kdf.MIN_ITERATIONS);
        Driver driver = new Driver(new Driver.Source() {
            @Override
            public Fetched fetch(DriverUrl target) throws java.sql.SQLException {
                Fetched fetched = real.fetch(target);
                if (fetches.incrementAndGet() == 1) {
                    try {
                        postgres.sql("alter role " + role + " password '" + after + "'");
                        safes[0].close();
                        safes[1] = sessionSafe("5\n" + after + "\n");
                    } catch (Exception e) {
                        throw new AssertionError("could not rotate the password", e);
                    }
                }
                return fetched;
            }

            @Override
            public boolean reject(DriverUrl target, Fetched fetched) throws java.sql.SQLException {
                return real.reject(target, fetched);
            }

            @Override
            public void accept(DriverUrl target, Fetched fetched) throws java.sql.SQLException {
                real.accept(target, fetched);
            }
        });
        try (Connection db = driver.connect(url(role, ""), new Properties())) {
            assertEquals(role, currentUser(db));
            assertEquals(2, fetches.get(), "one fetch, one failed login, one more fetch");
        } finally {
            safes[0].close();
            if (safes[1] != null) {
                safes[1].close();
            }
        }
    }
}
