package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real clients against a real PostgreSQL whose role password lives in a real passsafe server. */
class DatabaseTest {
    private static final String ROLE = "analyst";
    private static final String PASSWORD = "Pg-" + Long.toHexString(System.nanoTime());
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

    /** {@code java -jar passsafe.jar exec ... -- psql ...} with the credentials in the environment. */
    private static Cli.Run execPsql(JarServer server, String passphrase) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toString(),
                "exec", "--port", Integer.toString(server.port), "--env", "PGPASSWORD", "--",
                "psql", "-h", "127.0.0.1", "-p", Integer.toString(postgres.port), "-U", ROLE, "-d", "postgres",
                "-w", "-tA", "-c", "select current_user");
        builder.environment().put(Locator.PASSPHRASE, passphrase);
        builder.environment().put(Locator.TOKEN, server.token);
        builder.environment().put("PGPASSFILE", "/dev/null");
        builder.environment().remove("PGPASSWORD");
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Cli.Run(process.exitValue(), out, err);
    }

    @Test
    void exec_psqlGetsThePasswordFromTheSafe() throws Exception {
        try (JarServer server = JarServer.start(PASSWORD)) {
            Cli.Run run = execPsql(server, server.passphrase);
            assertEquals(0, run.status(), run.err());
            assertEquals(ROLE + "\n", run.out());
        }
    }

    @Test
    void exec_wrongPassphrase_failsBeforePsqlStarts() throws Exception {
        try (JarServer server = JarServer.start(PASSWORD)) {
            Cli.Run run = execPsql(server, Fixture.someWords());
            assertEquals(1, run.status());
            assertEquals("", run.out());
            assertEquals("passsafe: error: wrong passphrase: it is not this safe's, and no use was spent;"
                    + " copy the six words exactly as the server printed them\n", run.err(), "psql said something, so it ran");
        }
    }

    @Test
    void connect_jdbcRunsAQuery() throws Exception {
        try (JarServer server = JarServer.start(PASSWORD);
                Connection db = driver(server.passphrase, server.token, server.url)
                        .connect("jdbc:passsafe:postgresql://127.0.0.1:" + postgres.port + "/postgres?user=" + ROLE, new Properties());
                ResultSet rows = db.createStatement().executeQuery("select current_user")) {
            assertTrue(rows.next());
            assertEquals(ROLE, rows.getString(1));
        }
    }

    @Test
    void connect_driverErrorPassesThroughWithoutTheSecret() throws Exception {
        try (JarServer server = JarServer.start(PASSWORD)) {
            passsafe.Driver driver = driver(server.passphrase, server.token, server.url);
            SQLException e = assertThrows(SQLException.class,
                    () -> driver.connect("jdbc:passsafe:postgresql://127.0.0.1:" + postgres.port + "/postgres?user=nobody_here", new Properties()));
            assertEquals("28P01", e.getSQLState(), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD));
        }
    }

    /**
     * A safe of one use holding a wrong password: the database refuses it once, and the caller
     * gets the database's own error, not passsafe's word that the safe is used up; one use spent.
     */
    @Test
    void connect_wrongPasswordInASafeOfOneUse_theDatabasesErrorReachesTheCaller() throws Exception {
        try (JarServer server = JarServer.started("5\nnot-" + PASSWORD + "\n", JarServer.jar("--uses", "1"))) {
            passsafe.Driver driver = driver(server.passphrase, server.token, server.url);
            SQLException e = assertThrows(SQLException.class,
                    () -> driver.connect("jdbc:passsafe:postgresql://127.0.0.1:" + postgres.port + "/postgres?user=" + ROLE, new Properties()));
            assertEquals("28P01", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
            // What is suppressed in it is passsafe's word on the report (the safe is used up), never a second login's error.
            assertEquals(List.of(), java.util.Arrays.stream(e.getSuppressed()).filter(s -> s.getMessage().contains("password authentication failed"))
                    .collect(java.util.stream.Collectors.toList()), "nothing was tried again");
        }
    }

    /** passsafe's driver, with the credentials of the safe at {@code url}. */
    private static passsafe.Driver driver(String passphrase, String token, String url) {
        return new passsafe.Driver(passsafe.Driver.fromSafe(Map.of(Locator.PASSPHRASE, passphrase, Locator.TOKEN, token, Locator.URL, url),
                Kdf.MIN_ITERATIONS));
    }

    /** A driver that repeats the password in its error, as a careless one might. */
    private static final class EchoingDriver implements Driver {
        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            if (!acceptsURL(url)) {
                return null;
            }
            throw new SQLException("login failed for password " + info.getProperty("password"), "28000", 18456);
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:echoing:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
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

    @Test
    void connect_messageHoldingTheSecret_isRedacted() throws Exception {
        Driver driver = new EchoingDriver();
        DriverManager.registerDriver(driver);
        try (Fixture safe = new Fixture(PASSWORD)) {
            passsafe.Driver wrapping = new passsafe.Driver(passsafe.Driver.fromSafe(
                    Map.of(Locator.PASSPHRASE, safe.passphrase, Locator.TOKEN, safe.token, Locator.URL, safe.url()), Fixture.CHEAP));
            SQLException e = assertThrows(SQLException.class, () -> wrapping.connect("jdbc:passsafe:echoing:x?user=" + ROLE, new Properties()));
            assertEquals("login failed for password [REDACTED]", e.getMessage());
            assertEquals(List.of("28000", 18456), List.of(e.getSQLState(), e.getErrorCode()));
            assertEquals(null, e.getCause());
        } finally {
            DriverManager.deregisterDriver(driver);
        }
    }

    /**
     * A real Jupyter notebook (Debian's nbclient and ipykernel) with a session-mode safe: it gets
     * the password with passsafe get, queries the database, shows passsafe's error for a port with
     * no safe, and its file, outputs included, holds no credential and no password.
     */
    @Test
    void notebook_sessionMode_queriesTheDatabaseWithNoCredentialInIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path python = java.nio.file.Path.of("/usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import nbclient, ipykernel, psycopg2").start();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "Jupyter is missing: apt-get install python3-nbclient python3-ipykernel python3-psycopg2 (.ci/run does)");
        try (JarServer server = JarServer.started("5\n" + PASSWORD + "\n", JarServer.jar("--session"))) {
            java.nio.file.Path executed = dir.resolve("executed.ipynb");
            ProcessBuilder builder = new ProcessBuilder(python.toString(), "test/notebook/execute.py", "test/notebook/session.ipynb", executed.toString())
                    .redirectErrorStream(true);
            builder.environment().remove(Locator.PASSPHRASE);
            builder.environment().remove(Locator.TOKEN);
            builder.environment().put("PASSSAFE_TEST_JAVA", JarServer.jdkTool("java").toString());
            builder.environment().put("PASSSAFE_TEST_JAR", JarServer.JAR.toAbsolutePath().toString());
            builder.environment().remove(Locator.URL);
            builder.environment().put("PASSSAFE_TEST_PGPORT", Integer.toString(postgres.port));
            int noSafe = Fixture.closedPort();
            builder.environment().put("PASSSAFE_TEST_NO_SAFE_PORT", Integer.toString(noSafe));
            Process jupyter = builder.start();
            jupyter.getOutputStream().close();
            String said = new String(jupyter.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jupyter.waitFor(180, TimeUnit.SECONDS), "the notebook did not finish");
            assertEquals(0, jupyter.exitValue(), said);
            assertFalse(java.nio.file.Files.readString(java.nio.file.Path.of("test/notebook/session.ipynb")).contains(Integer.toString(server.port)),
                    "no port in the notebook: its kernel finds the safe");
            String notebook = java.nio.file.Files.readString(executed, StandardCharsets.UTF_8);
            String printed = java.nio.file.Files.readString(dir.resolve("executed.ipynb.txt"), StandardCharsets.UTF_8);
            assertTrue(printed.contains("query: analyst 42\n"), printed);
            assertTrue(printed.contains("exit 1\npasssafe: error: no passsafe server answers at http://localhost:" + noSafe
                    + ": it may have expired or been stopped"), printed);
            assertFalse(notebook.contains(PASSWORD), "the password is in the notebook");
            assertFalse(Fixture.showsPassphrase(notebook, server.passphrase), "the passphrase is");
            assertFalse(notebook.contains(server.token) || notebook.contains(server.token.replace(" ", "")), "the token is");
        }
    }
}
