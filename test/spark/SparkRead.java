import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.io.ZStdCompressionCodec;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark driver as the README's "Spark" section writes one, run by SparkTest in its own JVM:
 * Spark in local[2] reads a PostgreSQL table over JDBC in 4 partitions, with the password from a
 * session-mode passsafe. It prints the row and partition counts and leaves, in its output
 * directory, everything Spark kept that the test then searches for the password: the query plan,
 * the properties Spark records, what its UI's REST API serves, and the event log.
 *
 * <p>A canary, a value under names Spark does not redact, goes where a leak would go (a SparkConf
 * entry, the application's name, a filter literal), so the test can show that each place it
 * searches does show what it is given.
 *
 * <p>Arguments: passsafe URL, JDBC URL, table, user, output directory, canary, and how the password
 * comes: {@code client} (the README's lines: {@code Client.local} into the reader's password
 * option) or {@code driver} (passsafe.Driver: a {@code jdbc:passsafe:} URL and no password option).
 */
public class SparkRead {
    public static void main(String[] args) throws Exception {
        String safe = args[0];
        String jdbcUrl = args[1];
        String table = args[2];
        String user = args[3];
        Path out = Path.of(args[4]);
        String canary = args[5];
        boolean throughDriver = args[6].equals("driver");
        Files.createDirectories(out.resolve("events"));
        Files.writeString(out.resolve("spark-flags.txt"), String.join("\n", JavaModuleOptions.defaultModuleOptionArray()) + "\n");

        SparkSession spark = SparkSession.builder()
                .master(System.getProperty("passsafe.master", "local[2]"))
                .appName("passsafe-spark-" + canary)
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.port", "0")
                .config("spark.eventLog.enabled", "true")
                .config("spark.eventLog.dir", out.resolve("events").toUri().toString())
                .config("spark.passsafe.canary", canary)
                .getOrCreate();
        System.out.println("spark: started " + spark.version());

        DataFrameReader reader = spark.read().format("jdbc");
        if (throughDriver) {
            // The README's "JDBC tools" lines: passsafe's driver fetches the password; Spark never has it.
            reader.option("url", "jdbc:passsafe:" + jdbcUrl.substring("jdbc:".length())).option("driver", "passsafe.Driver");
        } else {
            // The README's Spark lines: the password goes from the safe straight into the reader's option.
            try (passsafe.Client client = passsafe.Client.local(safe)) {
                reader.option("url", jdbcUrl).option("password", client.password());
            }
        }
        Dataset<Row> rows = reader
                .option("dbtable", table)
                .option("user", user)
                .option("ApplicationName", canary)
                .option("partitionColumn", "id")
                .option("lowerBound", "1")
                .option("upperBound", "1000")
                .option("numPartitions", System.getProperty("passsafe.partitions", "4"))
                .load()
                .where(org.apache.spark.sql.functions.col("note").notEqual(canary));

        System.out.println("rows: " + rows.count());
        System.out.println("partitions: " + rows.rdd().getNumPartitions());
        Files.writeString(out.resolve("plan.txt"), rows.queryExecution().toString());
        Files.writeString(out.resolve("properties.txt"), properties(spark));
        for (String address : listening()) {
            System.out.println("spark: listens on " + address);
        }
        String appId = spark.sparkContext().applicationId();
        String ui = spark.sparkContext().uiWebUrl().get();
        Files.writeString(out.resolve("ui.json"), fromUi(ui + "/api/v1/applications/" + appId));
        spark.stop();
        Files.writeString(out.resolve("events.txt"), eventLog(out.resolve("events")));
        System.out.println("spark: stopped");
    }

    /**
     * The event log as text: Spark writes it rolled into parts and, by default since 4.0,
     * compressed with zstd; decompressed here with Spark's own codec, as its history server would.
     */
    private static String eventLog(Path events) throws IOException {
        List<Path> parts;
        try (Stream<Path> files = Files.walk(events)) {
            parts = files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        if (parts.isEmpty()) {
            throw new IllegalStateException("Spark wrote no event log in " + events);
        }
        StringBuilder text = new StringBuilder();
        for (Path part : parts) {
            try (InputStream in = open(part)) {
                text.append(part.getFileName()).append('\n').append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return text.toString();
    }

    private static InputStream open(Path part) throws IOException {
        String name = part.getFileName().toString();
        InputStream in = Files.newInputStream(part);
        if (name.endsWith(".zstd")) {
            return new ZStdCompressionCodec(new SparkConf()).compressedInputStream(in);
        }
        if (name.matches(".*\\.(lz4|lzf|snappy)$")) {
            in.close();
            throw new IllegalStateException("an event log compressed other than Spark's default: " + name);
        }
        return in;
    }

    /** The local address of each TCP socket this JVM listens on, as /proc/net/tcp and tcp6 give it (hex). */
    private static List<String> listening() throws IOException {
        Set<String> sockets = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    sockets.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] field = line.trim().split("\\s+");
                if (field.length > 9 && field[3].equals("0A") && sockets.contains(field[9])) {
                    listening.add(field[1]);
                }
            }
        }
        return listening;
    }

    /** Every property Spark records: its conf, the session's SQL conf, the context's local properties. */
    private static String properties(SparkSession spark) {
        Map<String, String> all = new TreeMap<>();
        for (scala.Tuple2<String, String> entry : spark.sparkContext().getConf().getAll()) {
            all.put("conf " + entry._1(), entry._2());
        }
        spark.conf().getAll().foreach(entry -> all.put("sql " + entry._1(), entry._2()));
        spark.sparkContext().getLocalProperties().forEach((k, v) -> all.put("local " + k, String.valueOf(v)));
        StringBuilder text = new StringBuilder();
        all.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /**
     * The UI's REST API once its store has caught up with the job (it is fed asynchronously):
     * the environment, the jobs, the stages in detail, and the SQL executions with their plans.
     */
    private static String fromUi(String app) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<String> pages = new ArrayList<>();
        for (int attempt = 0; attempt < 600; attempt++) {
            pages.clear();
            for (String page : List.of("environment", "jobs", "stages?details=true", "sql?details=true&planDescription=true")) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(app + "/" + page)).timeout(Duration.ofSeconds(10)).build();
                pages.add(http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body());
            }
            if (pages.get(3).contains("\"COMPLETED\"") && pages.get(1).contains("\"SUCCEEDED\"")) {
                return String.join("\n", pages);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the Spark UI did not show the finished job within a minute");
    }
}
