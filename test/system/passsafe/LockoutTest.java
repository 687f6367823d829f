package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lockout storm, against a real PostgreSQL that logs every connection: a safe holds a wrong
 * password, and three kinds of consumer ask for it at once for 15 seconds, each through passsafe:
 * a HikariCP pool that keeps 10 connections, a Spark read in local[4] with 50 partitions (a JVM of
 * its own), and five shell loops of {@code passsafe exec -- psql || passsafe reject}. The database
 * must see at most two failed logins, where each consumer's retries would otherwise bring
 * hundreds, and every consumer must get passsafe's line. Then {@code passsafe set} with the right
 * password: the same pool, a new Spark read and the loops log in, with the safe's passphrase,
 * token and port unchanged.
 */
class LockoutTest {
    private static final String ROLE = "storm";
    private static final String RIGHT = "Right-" + Long.toHexString(System.nanoTime());
    private static final String WRONG = "Wrong-" + Long.toHexString(System.nanoTime());
    private static final String REFUSAL = "the database refused secret password at ";
    private static final long STORM_SECONDS = 15;
    private static final Pattern FAILED_LOGIN = Pattern.compile("password authentication failed for user \"" + ROLE + "\"");
    private static Postgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = Postgres.start();
        postgres.sql("alter system set log_connections = on");
        postgres.sql("select pg_reload_conf()");
        postgres.sql("create role " + ROLE + " login password '" + RIGHT + "'");
        postgres.sql("create table orders (id int primary key, note text);"
                + " insert into orders select n, 'order ' || n from generate_series(1, 1000) n; grant select on orders to " + ROLE);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void wrongPassword_threeConsumersAtOnce_atMostTwoFailedLogins_thenSetMendsThemAllWithoutARestart(@TempDir Path dir) throws Exception {
        try (JarServer safe = JarServer.started("10\n" + WRONG + "\n", JarServer.jar("--session"))) {
            String url = "jdbc:passsafe:postgresql://127.0.0.1:" + postgres.port + "/postgres?user=" + ROLE + "&passsafe.port=" + safe.port;
            List<Process> loops = new ArrayList<>();
            Process spark;
            List<String> poolFailures = new CopyOnWriteArrayList<>();
            int failedLogins;
            try (HikariDataSource pool = pool(url)) {
                // At once: the pool starts filling as it is made; the loops and Spark start in the same instant.
                Thread borrower = new Thread(() -> borrowFor(pool, STORM_SECONDS, poolFailures), "borrower");
                borrower.start();
                for (int i = 0; i < 5; i++) {
                    loops.add(psqlLoop(dir, safe.port, i, STORM_SECONDS));
                }
                spark = spark(dir.resolve("spark-1"), url).start();
                borrower.join(TimeUnit.SECONDS.toMillis(STORM_SECONDS + 60));
                String sparkSaid = ended(spark);
                for (Process loop : loops) {
                    ended(loop);
                }

                failedLogins = failedLogins();
                System.out.println("LockoutTest: the storm: " + failedLogins + " failed logins in the database's log; "
                        + poolFailures.size() + " refusals to the pool's borrower, " + count(dir, "loop-", REFUSAL) + " to the psql loops");
                assertTrue(failedLogins >= 1 && failedLogins <= 2, failedLogins + " failed logins: " + postgres.log());
                // A borrower can time out before the pool's first login has failed: then Hikari has no cause to give.
                List<String> causes = poolFailures.stream().filter(line -> !line.startsWith("HikariPool-")).collect(java.util.stream.Collectors.toList());
                assertTrue(causes.stream().anyMatch(line -> line.contains(REFUSAL)), "the pool was not told passsafe's line: " + poolFailures);
                assertTrue(causes.stream().allMatch(line -> line.contains(REFUSAL) || FAILED_LOGIN.matcher(line).find()), "the pool was handed out a connection, or"
                        + " failed otherwise: " + poolFailures);
                for (int i = 0; i < 5; i++) {
                    String said = Files.readString(dir.resolve("loop-" + i + ".txt"));
                    assertTrue(said.contains("passsafe: error: " + REFUSAL), "loop " + i + " was not told passsafe's line: " + said);
                    assertFalse(said.contains(WRONG), said);
                }
                assertTrue(spark.exitValue() != 0 && sparkSaid.contains(REFUSAL), "Spark was not told passsafe's line: " + sparkSaid);
                assertFalse(sparkSaid.contains(WRONG));

                Cli.Run set = set(safe.port, RIGHT);
                assertEquals(0, set.status(), set.err());

                try (Connection db = borrowWithin(pool, 60)) {
                    assertTrue(db.isValid(5), "the same pool, without a restart");
                }
            }
            String sparkSaid = ended(spark(dir.resolve("spark-2"), url).start());
            assertTrue(sparkSaid.contains("\nrows: 1000\n") && sparkSaid.contains("\npartitions: 50\n"), sparkSaid);
            Process loop = psqlLoop(dir, safe.port, 9, 0);
            ended(loop);
            String loopSaid = Files.readString(dir.resolve("loop-9.txt"));
            assertTrue(loopSaid.lines().anyMatch(ROLE::equals), "psql did not log in: " + loopSaid);

            try (Client client = safe.client()) {
                assertEquals(RIGHT, client.password(), "the passphrase, token and port the safe printed at its start");
            }
            assertEquals(failedLogins, failedLogins(), "no failed login after the replacement");
        }
    }

    /**
     * A rotation done right: the database's owner changes the role's password and runs {@code
     * passsafe set} with the new one. A pool that was working keeps working; a connection that
     * had fetched the old password just before meets the database's refusal, finds the secret
     * replaced since, and fetches once more: one extra fetch, and no rejection.
     */
    @Test
    void rotation_alterRoleThenSet_aWorkingPoolKeepsWorking_oneExtraFetchForTheConnectionThatMetTheOldPassword() throws Exception {
        String role = "rotating";
        String before = "Old-" + Long.toHexString(System.nanoTime());
        String after = "New-" + Long.toHexString(System.nanoTime());
        postgres.sql("create role " + role + " login password '" + before + "'");
        try (JarServer safe = JarServer.started("10\n" + before + "\n", JarServer.jar("--session"))) {
            String url = "jdbc:passsafe:postgresql://127.0.0.1:" + postgres.port + "/postgres?user=" + role + "&passsafe.port=" + safe.port;
            try (HikariDataSource pool = pool(url)) {
                try (Connection db = borrowWithin(pool, 60)) {
                    assertTrue(db.isValid(5), "the pool works with the first password");
                }
                // The pool fills up to its 10 in the background: the rotation comes once it is full, as on a working system.
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (pool.getHikariPoolMXBean().getTotalConnections() < 10 && System.nanoTime() - end < 0) {
                    Thread.sleep(50);
                }
                assertEquals(10, pool.getHikariPoolMXBean().getTotalConnections(), "the pool did not fill");
                int failedBefore = failedLogins(role);
                java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
                Driver.Source real = Driver.fromSafe(System.getenv(), Kdf.MIN_ITERATIONS);
                Driver driver = new Driver(new Driver.Source() {
                    @Override
                    public Fetched fetch(DriverUrl target) throws SQLException {
                        Fetched fetched = real.fetch(target);
                        if (fetches.incrementAndGet() == 1) {
                            // Between this connection's fetch and its login, the owner rotates the password.
                            try {
                                postgres.sql("alter role " + role + " password '" + after + "'");
                                assertEquals(0, set(safe.port, after).status());
                            } catch (Exception e) {
                                throw new AssertionError("could not rotate the password", e);
                            }
                        }
                        return fetched;
                    }

                    @Override
                    public boolean reject(DriverUrl target, Fetched fetched) throws SQLException {
                        return real.reject(target, fetched);
                    }

                    @Override
                    public void accept(DriverUrl target, Fetched fetched) throws SQLException {
                        real.accept(target, fetched);
                    }
                });
                try (Connection db = driver.connect(url, new java.util.Properties())) {
                    assertTrue(db.isValid(5));
                }
                assertEquals(2, fetches.get(), "one fetch of the old password, one refused login, one more fetch");
                assertEquals(failedBefore + 1, failedLogins(role), "the one login with the old password");

                pool.getHikariPoolMXBean().softEvictConnections();
                for (int i = 0; i < 5; i++) {
                    try (Connection db = borrowWithin(pool, 60)) {
                        assertTrue(db.isValid(5), "the same pool, after the rotation");
                    }
                }
                assertEquals(failedBefore + 1, failedLogins(role), "no other failed login");
                try (Client client = safe.client()) {
                    assertEquals(after, client.password(), "not rejected: the refusal came after the replacement");
                }
            }
        }
    }

    private static int failedLogins() throws IOException {
        return failedLogins(ROLE);
    }

    /** The failed logins of {@code role} in PostgreSQL's log so far. */
    private static int failedLogins(String role) throws IOException {
        Matcher m = Pattern.compile("password authentication failed for user \"" + role + "\"").matcher(postgres.log());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMinimumIdle(10);
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(1_000);
        config.setInitializationFailTimeout(-1); // start, and keep trying, whatever the first login says
        return new HikariDataSource(config);
    }

    /** Borrows from {@code pool} for {@code seconds}, as a busy program would; the cause of each failure goes to {@code failures}. */
    private static void borrowFor(HikariDataSource pool, long seconds, List<String> failures) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() - end < 0) {
            try (Connection db = pool.getConnection()) {
                failures.add("a connection was handed out: " + db);
            } catch (SQLException e) {
                failures.add(String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            }
        }
    }

    /** A connection from {@code pool}, asked for again until it gives one or {@code seconds} pass. */
    private static Connection borrowWithin(HikariDataSource pool, long seconds) throws SQLException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                if (System.nanoTime() - end > 0) {
                    throw e;
                }
            }
        }
    }

    /**
     * A shell loop of {@code passsafe exec -- psql}, reporting a refused login with {@code passsafe
     * reject}, for {@code seconds} (0: once); what it prints goes to {@code loop-N.txt}.
     */
    private static Process psqlLoop(Path dir, int port, int n, long seconds) throws IOException {
        String passsafe = JarServer.jdkTool("java") + " -jar " + JarServer.JAR.toAbsolutePath();
        String once = passsafe + " exec --port " + port + " --env PGPASSWORD -- psql -w -tA -h 127.0.0.1 -p " + postgres.port + " -U " + ROLE
                + " -d postgres -c 'select current_user' || " + passsafe + " reject --port " + port;
        String script = seconds == 0 ? once : "end=$((SECONDS + " + seconds + ")); while [ $SECONDS -lt $end ]; do " + once + "; done";
        return new ProcessBuilder("bash", "-c", script).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("loop-" + n + ".txt").toFile()).start();
    }

    private static ProcessBuilder spark(Path dir, String url) throws IOException {
        Files.createDirectories(dir);
        return SparkTest.sparkRead(dir, List.of("-Dpasssafe.master=local[4]", "-Dpasssafe.partitions=50"),
                List.of("unused", "jdbc:" + url.substring("jdbc:passsafe:".length()), "orders", ROLE, dir.toString(), "storm", "driver"));
    }

    /** What the process printed, once it has ended. */
    private static String ended(Process process) throws Exception {
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "a consumer did not end");
        return "\n" + said;
    }

    private static long count(Path dir, String prefix, String text) throws IOException {
        long n = 0;
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith(prefix))::iterator) {
                n += Files.readString(file).split(Pattern.quote(text), -1).length - 1;
            }
        }
        return n;
    }

    /** {@code passsafe set --port PORT}, the new value piped in. */
    private static Cli.Run set(int port, String value) throws Exception {
        Process set = new ProcessBuilder(JarServer.jar("set", "--port", Integer.toString(port))).start();
        try (var in = set.getOutputStream()) {
            in.write((value + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(set.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(set.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(set.waitFor(60, TimeUnit.SECONDS));
        return new Cli.Run(set.exitValue(), out, err);
    }
}
