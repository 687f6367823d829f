package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark 4.2.0 (local[2], in a JVM of its own: {@code test/spark/SparkRead.java}) reads a
 * table of a real PostgreSQL over JDBC in 4 partitions, with the password from a running
 * session-mode safe, and the test searches everything Spark keeps for the password: the query
 * plan, its log output, its event log, the properties it records and what its UI's REST API
 * serves. A canary, given to Spark under names it does not redact, shows that each of those
 * places does hold what it is given.
 */
class SparkTest {
    private static final Path SPARK = Path.of(System.getProperty("passsafe.spark", "build/lib/spark"));
    private static final Path PGJDBC = Path.of(System.getProperty("passsafe.pgjdbc", "build/lib/postgresql-42.7.4.jar"));
    /** The JVM options Spark needs, in one place: the list Spark's own launcher passes. */
    private static final Path FLAGS = Path.of("test/spark/jvm.options");
    private static final Path DEBUG_LOGGING = Path.of("test/spark/debug-log4j2.properties");
    private static final Path DEBUG_JUL = Path.of("test/spark/debug-logging.properties");
    private static final String ROLE = "analyst";
    private static final String PASSWORD = "Spark-" + Long.toHexString(System.nanoTime());
    private static final String CANARY = "canary" + Long.toHexString(System.nanoTime());
    private static final int ROWS = 1000;
    /** The newest JDK this Spark was run on here; on a newer one, Spark failing to start is a skip. */
    private static final int NEWEST_JDK_TRIED = 25;
    private static Postgres postgres;
    private static JarServer safe;

    @BeforeAll
    static void startDatabaseAndSafe() throws Exception {
        assertTrue(Files.isRegularFile(SPARK.resolve("spark-sql_2.13-4.2.0.jar")), "Spark is missing from " + SPARK + ": make test fetches it");
        postgres = Postgres.start();
        postgres.sql("create role " + ROLE + " login password '" + PASSWORD + "'");
        postgres.sql("create table orders (id int primary key, note text);"
                + " insert into orders select n, 'order ' || n from generate_series(1, " + ROWS + ") n;"
                + " grant select on orders to " + ROLE);
        safe = JarServer.started("5\n" + PASSWORD + "\n", JarServer.jar("--session"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (safe != null) {
                safe.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void jdbcRead_atSparksDefaults_readsFourPartitionsAndLeavesNoTrace(@TempDir Path dir) throws Exception {
        String log = runSpark(dir, List.of(), "client");
        assertRead(log);
        assertEquals(flags(Files.readString(FLAGS)), flags(Files.readString(dir.resolve("spark-flags.txt"))),
                FLAGS + " is no longer the list Spark's launcher passes: copy it from spark-flags.txt");
        assertTrue(log.contains(" INFO SparkContext: "), "Spark logged nothing at INFO, its default level");

        Map<String, String> kept = keptBySpark(dir, log);
        assertEquals(List.of(), placesWhere(kept, text -> !text.contains(CANARY)), "places without the canary: searching them proves nothing");
        assertEquals(List.of(), placesWhere(kept, text -> text.contains(PASSWORD)), "places that show the password");
        // Not redaction's doing: the JDBC source shows no option of its own in the plan.
        assertTrue(kept.get("the query plan").contains("JDBCRelation(orders) [numPartitions=4]"), kept.get("the query plan"));
    }

    @Test
    void jdbcRead_atDebug_onlySparksConnectionProviderLogsThePassword(@TempDir Path dir) throws Exception {
        Path connections = dir.resolve("connections.log");
        String log = runSpark(dir, List.of("-Dlog4j2.configurationFile=" + DEBUG_LOGGING.toAbsolutePath(),
                "-Dpasssafe.connections=" + connections), "client");
        assertRead(log);
        assertTrue(log.contains(" DEBUG "), "nothing was logged at DEBUG");

        Map<String, String> kept = keptBySpark(dir, log);
        assertEquals(List.of(), placesWhere(kept, text -> !text.contains(CANARY)), "places without the canary: searching them proves nothing");
        assertEquals(List.of(), placesWhere(kept, text -> text.contains(PASSWORD)), "places that show the password");
        String leaked = Files.readString(connections).lines().filter(line -> line.contains(PASSWORD))
                .map(line -> line.replace(PASSWORD, "PASSWORD")).findFirst().orElse("");
        assertTrue(leaked.contains(" DEBUG BasicConnectionProvider: JDBC connection initiated with URL: ")
                && leaked.contains("password=PASSWORD"), "Spark no longer logs the password at DEBUG: " + leaked);
    }

    /**
     * Through passsafe.Driver, with every logger at DEBUG (Spark's through log4j2, PostgreSQL's
     * driver's through java.util.logging): the password is in none of the places, Spark's
     * connection log included, since Spark never has it.
     */
    @Test
    void jdbcRead_throughPasssafesDriver_atDebug_thePasswordIsNowhere(@TempDir Path dir) throws Exception {
        Path connections = dir.resolve("connections.log");
        String log = runSpark(dir, List.of("-Dlog4j2.configurationFile=" + DEBUG_LOGGING.toAbsolutePath(),
                "-Dpasssafe.connections=" + connections, "-Djava.util.logging.config.file=" + DEBUG_JUL.toAbsolutePath()), "driver");
        assertRead(log);
        assertTrue(log.contains(" DEBUG "), "nothing was logged at DEBUG");
        assertTrue(log.contains("Connecting with URL: jdbc:postgresql://"), "PostgreSQL's driver logged nothing at DEBUG");

        Map<String, String> kept = keptBySpark(dir, log);
        kept.put("Spark's connection log", Files.readString(connections));
        assertTrue(kept.get("Spark's connection log").contains(" and properties: {ApplicationName=" + CANARY + ", user=" + ROLE + "}"),
                "Spark did not connect through passsafe's driver: " + kept.get("Spark's connection log"));
        assertEquals(List.of(), placesWhere(kept, text -> !text.contains(CANARY)), "places without the canary: searching them proves nothing");
        assertEquals(List.of(), placesWhere(kept, text -> text.contains(PASSWORD)), "places that show the password");
    }

    /** The rows and partitions read, and every socket Spark listened on was a loopback one. */
    private static void assertRead(String log) throws Exception {
        assertTrue(log.contains("\nrows: " + ROWS + "\n"), log);
        assertTrue(log.contains("\npartitions: 4\n"), log);
        assertTrue(log.contains("\nspark: stopped\n"), log);
        List<String> listening = log.lines().filter(line -> line.startsWith("spark: listens on ")).collect(Collectors.toList());
        assertTrue(listening.size() >= 3, "Spark's RPC, block manager and UI should listen: " + listening);
        for (String line : listening) {
            String hex = line.substring("spark: listens on ".length(), line.indexOf(':', "spark: listens on ".length()));
            byte[] address = ProcNet.unmap(ProcNet.address(hex, ByteOrder.nativeOrder()));
            assertTrue(InetAddress.getByAddress(address).isLoopbackAddress(), "Spark listened beyond loopback: " + line);
        }
    }

    /** Everything the run left that could hold the password, by where it comes from. */
    private static Map<String, String> keptBySpark(Path dir, String log) throws Exception {
        Map<String, String> kept = new LinkedHashMap<>();
        kept.put("the query plan", Files.readString(dir.resolve("plan.txt")));
        kept.put("the properties Spark records", Files.readString(dir.resolve("properties.txt")));
        kept.put("the UI's REST API", Files.readString(dir.resolve("ui.json")));
        kept.put("the event log", Files.readString(dir.resolve("events.txt")));
        kept.put("Spark's log output", log);
        return kept;
    }

    /**
     * Runs the driver with {@code jvmOptions} besides Spark's own; returns what it printed, Spark's
     * log included. On a JDK newer than any tried here that Spark fails to start on, skips, naming
     * Spark's failure.
     */
    private static String runSpark(Path dir, List<String> jvmOptions, String passwordFrom) throws Exception {
        Process spark = sparkRead(dir, jvmOptions, List.of(safe.url, "jdbc:postgresql://127.0.0.1:" + postgres.port + "/postgres", "orders", ROLE,
                dir.toString(), CANARY, passwordFrom)).start();
        spark.getOutputStream().close();
        String log = "\n" + new String(spark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(spark.waitFor(5, TimeUnit.MINUTES), "Spark did not end");
        int jdk = Runtime.version().feature();
        if (spark.exitValue() != 0 && !log.contains("\nspark: started ") && jdk > NEWEST_JDK_TRIED) {
            String reason = "Spark 4.2.0 does not start on JDK " + jdk + " (tried here on 17 to " + NEWEST_JDK_TRIED + "): "
                    + firstException(log);
            System.out.println("SparkTest skipped: " + reason);
            Assumptions.abort(reason);
        }
        assertEquals(0, spark.exitValue(), log);
        return log;
    }

    /**
     * {@code test/spark/SparkRead.java} with {@code args} in a JVM of its own, with Spark's flags,
     * {@code jvmOptions}, and Spark, PostgreSQL's driver and passsafe on its class path, in {@code dir}.
     */
    static ProcessBuilder sparkRead(Path dir, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(JarServer.jdkTool("java").toString(), "@" + FLAGS.toAbsolutePath()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", SPARK.toAbsolutePath() + "/*:" + PGJDBC.toAbsolutePath() + ":" + JarServer.JAR.toAbsolutePath(),
                Path.of("test/spark/SparkRead.java").toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // else Spark's UI listens on every address
        builder.environment().remove(Locator.PASSPHRASE);
        builder.environment().remove(Locator.TOKEN);
        return builder;
    }

    /** The first exception Spark printed, from its class name on: {@code java.lang.UnsupportedOperationException: …}. */
    private static String firstException(String log) {
        Matcher exception = Pattern.compile("\\b[a-z]\\w*(\\.\\w+)+\\.\\w*(Exception|Error)\\b.*").matcher(log);
        return exception.find() ? exception.group() : "it printed no exception";
    }

    private static List<String> placesWhere(Map<String, String> places, Predicate<String> test) {
        return places.entrySet().stream().filter(place -> test.test(place.getValue())).map(Map.Entry::getKey).collect(Collectors.toList());
    }

    private static List<String> flags(String text) {
        return text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).collect(Collectors.toList());
    }
}
