package passsafe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;

/**
 * {@code make bench}: measures the jar as users run it and prints one markdown table. Every figure
 * is the median of several runs (five per process figure, three for memory and load), with their
 * min and max. Timings, not assertions: nothing here
 * passes or fails.
 */
final class Bench {
    private static final Path JAR = Path.of("build/passsafe.jar");
    private static final String SECRET = "correct horse battery staple";
    private static final int RUNS = 5;
    private static final List<String> ROWS = new ArrayList<>();

    private Bench() {}

    public static void main(String[] args) throws Exception {
        String java = JarServer.jdkTool("java").toString();
        ROWS.add("| figure | median | min – max | × JVM floor | × original-like floor | target |");
        ROWS.add("| --- | ---: | ---: | ---: | ---: | ---: |");
        row("jar size", new double[] {Files.size(JAR)}, "%.0f B", "≤ 65,536 B");
        if (args.length > 0 && args[0].equals("rejection")) {
            rejection();
            ROWS.forEach(System.out::println);
            return;
        }
        if (args.length > 0 && args[0].equals("channels")) {
            // A quick look at the socket beside TCP, for work on either: not the whole table.
            repeated();
            load(1, true);
            load(1, false);
            ROWS.forEach(System.out::println);
            return;
        }
        floors(java);
        serverStart(java);
        memory(java);
        clientProcesses(java);
        sessionClients(java);
        repeated();
        rejection();
        load(1, true);
        load(1, false);
        load(480, false);
        admission();
        kdf(java);
        System.out.println();
        String version;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        System.out.println("passsafe " + version + " on " + machine() + ", " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + "; median of 5 runs per process figure, 3 for memory and load");
        System.out.println();
        ROWS.forEach(System.out::println);
    }

    /** A server process fed through a pipe, with its output read line by line. */
    private static final class Started implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final long startNanos = System.nanoTime();
        String url;
        String passphrase;
        String token;

        /** The server on a port it picks and prints. */
        Started(List<String> command) throws IOException {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--port", "0"));
            ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            process = builder.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        void write(String text) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Reads until a line starting with {@code prefix}; returns the nanoTime it arrived. */
        long await(String prefix) throws IOException {
            String previous = "";
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (previous.equals("Passphrase:")) {
                    passphrase = line.trim();
                }
                if (previous.equals("Token:")) {
                    token = line.trim();
                }
                if (line.startsWith("Serving on ")) {
                    url = line.substring("Serving on ".length());
                }
                if (line.startsWith(prefix)) {
                    return System.nanoTime();
                }
                previous = line;
            }
            throw new IOException("the server ended before printing " + prefix);
        }

        String url() {
            return url;
        }

        /** What no other process shares and the kernel cannot drop: the memory this server really costs. */
        long privateDirtyKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/smaps_rollup"))) {
                if (line.startsWith("Private_Dirty:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return -1;
        }

        long rssKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return -1;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A serving server whose request log is read and dropped, as a terminal would show it. */
    private static Started serve(List<String> command, int minutes) throws Exception {
        Started server = new Started(command);
        server.write(minutes + "\n" + SECRET + "\n");
        server.await("Serving on");
        Thread drain = new Thread(() -> {
            try {
                while (server.out.readLine() != null) {
                    // a terminal shows it; nobody needs it here
                }
            } catch (IOException ended) {
                // the server was stopped
            }
        });
        drain.setDaemon(true);
        drain.start();
        return server;
    }

    private static void serverStart(String java) throws Exception {
        double[] piped = new double[RUNS];
        double[] prompt = new double[RUNS];
        double[] afterLine = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            try (Started server = new Started(List.of(java, "-jar", JAR.toString()))) {
                server.write("1\n" + SECRET + "\n");
                piped[i] = ms(server.await("Serving on") - server.startNanos);
            }
            try (Started server = new Started(List.of(java, "-jar", JAR.toString()))) {
                server.write("1\n");
                prompt[i] = ms(server.await("Enter the user password") - server.startNanos);
                Thread.sleep(1000); // the user types the password
                long line = System.nanoTime();
                server.write(SECRET + "\n");
                afterLine[i] = ms(server.await("Serving on") - line);
            }
        }
        row("server: process start → serving, all input piped at once", piped, "%.0f ms", "");
        row("  of which start → password prompt", prompt, "%.0f ms", "");
        row("  the rest, mostly the KDF on the critical path", minus(minus(piped, prompt), afterLine), "%.0f ms", "");
        row("server: password line → serving, typed 1 s after the prompt", afterLine, "%.1f ms", "≤ 20 ms");
    }

    private static void memory(String java) throws Exception {
        for (List<String> command : List.of(List.of("./passsafe.sh"), List.of(java, "-jar", JAR.toString()))) {
            double[] idle = new double[3];
            double[] dirty = new double[3];
            double[] loaded = new double[3];
            for (int i = 0; i < idle.length; i++) {
                try (Started server = serve(command, 480)) {
                    // Idle means settled: the JVM frees the compiler's arenas about 5 s after the KDF.
                    Thread.sleep(7000);
                    idle[i] = server.rssKb() / 1024.0;
                    dirty[i] = server.privateDirtyKb() / 1024.0;
                    hammer(server, 16, 2_000, new ArrayList<>(), true);
                    loaded[i] = server.rssKb() / 1024.0;
                }
            }
            String how = command.size() == 1 ? "passsafe.sh" : "java -jar";
            row("server RSS idle (7 s after serving), " + how, idle, "%.1f MB", command.size() == 1 ? "≤ 32 MB" : "");
            row("server private dirty memory idle (Private_Dirty), " + how, dirty, "%.1f MB", command.size() == 1 ? "≤ 20 MB" : "");
            row("server RSS after 2 s of 16-thread load, " + how, loaded, "%.1f MB", "");
        }
    }

    private static void clientProcesses(String java) throws Exception {
        try (Started server = serve(List.of("./passsafe.sh"), 480)) {
            double[] first = new double[RUNS];
            double[] get = new double[RUNS];
            double[] getScript = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                first[i] = timeProcess(server, java, "-cp", JAR + ":build/test-classes", "passsafe.BenchOnce", "client", server.url());
                get[i] = timeProcess(server, java, "-jar", JAR.toString(), "get", "--url", server.url());
                getScript[i] = timeProcess(server, "./passsafe.sh", "get", "--url", server.url());
            }
            row("client: first password() in a fresh JVM, with passphrase and token, whole process", first, "%.0f ms", "≤ 1.3× original-like");
            row("client: java -jar passsafe.jar get, with passphrase and token, whole process", get, "%.0f ms", "≤ 1.3× original-like");
            row("client: ./passsafe.sh get, with passphrase and token, whole process", getScript, "%.0f ms", "≤ 1.3× original-like");
        }
    }

    /** The median of this run's {@code java -jar passsafe.jar version}: what a ratio to the JVM floor divides by; 0 until measured. */
    private static double jvmFloor;
    /** The median of this run's original-like client (Python, Fernet); 0 when Debian's packages for it are missing. */
    private static double originalFloor;

    /**
     * The original passsafe's client reproduced: a fresh python3 that imports requests and
     * cryptography's Fernet, derives a 100,000-iteration PBKDF2-HMAC-SHA256 key and opens a Fernet
     * token, which is what its {@code Client.password()} does (its round trip to the server aside).
     */
    private static final String ORIGINAL_LIKE = String.join("\n",
            "import base64, sys, requests",
            "from cryptography.fernet import Fernet",
            "from cryptography.hazmat.primitives import hashes",
            "from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC",
            "kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=bytes(16), iterations=100000)",
            "f = Fernet(base64.urlsafe_b64encode(kdf.derive(b'crudely explode kilogram detached overdrive sprout')))",
            "token = sys.argv[1].encode() if len(sys.argv) > 1 else None",
            "print(f.decrypt(token).decode() if token else f.encrypt(b'" + SECRET + "').decode())");

    /**
     * What every figure reads against, measured in this run so that each ratio holds on any machine:
     * a JVM that starts and exits, the original-like client, and the KDF in OpenSSL (Debian's python3).
     */
    private static void floors(String java) throws Exception {
        double[] jvm = new double[RUNS];
        double[] openssl = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            jvm[i] = timeProcess(null, java, "-jar", JAR.toString(), "version");
            openssl[i] = timeProcess(null, "/usr/bin/python3", "-c",
                    "import hashlib; hashlib.pbkdf2_hmac('sha256', b'crudely explode kilogram detached overdrive sprout', bytes(16), 600000)");
        }
        row("floor: java -jar passsafe.jar version, whole process (a JVM that starts and exits)", jvm, "%.0f ms", "");
        jvmFloor = median(jvm);
        Process made = new ProcessBuilder("/usr/bin/python3", "-c", ORIGINAL_LIKE).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String token = new String(made.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (made.waitFor() != 0) {
            System.err.println("skipped: the original-like floor needs Debian's python3-requests and python3-cryptography");
        } else {
            double[] original = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                original[i] = timeProcess(null, "/usr/bin/python3", "-c", ORIGINAL_LIKE, token);
            }
            row("floor: original-like client (python3, requests, Fernet, PBKDF2 100,000), whole process", original, "%.0f ms", "");
            originalFloor = median(original);
        }
        row("floor: python3 PBKDF2-HMAC-SHA256 600,000 iterations (OpenSSL), whole process", openssl, "%.0f ms", "");
    }

    /**
     * The notebook's call: {@code passsafe get} and {@code Client.local()} with no credential,
     * from a session-mode safe (the only safe running, so found); CPU from /usr/bin/time.
     */
    @SuppressWarnings("try") // the safe serves for the block; the clients find it by themselves
    private static void sessionClients(String java) throws Exception {
        try (Started server = serve(List.of("./passsafe.sh", "--session"), 480)) {
            double[] get = new double[RUNS];
            double[] cpu = new double[RUNS];
            double[] local = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                double[] both = timeWithCpu("./passsafe.sh", "get");
                get[i] = both[0];
                cpu[i] = both[1];
                local[i] = timeProcess(null, java, "-cp", JAR + ":build/test-classes", "passsafe.BenchOnce", "local");
            }
            Path socket = PrivateDirectory.find(System.getenv(), new Locator(System.getenv(), null, Kdf.ITERATIONS).running().get(0).url.port,
                    PrivateDirectory.Kind.SOCKET);
            double[] jdk = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                jdk[i] = timeProcess(null, java, "-cp", "build/test-classes", "passsafe.JdkFloor", socket.toString());
            }
            row("floor: the JDK's own part of a session get, no passsafe code (java, a Unix-domain socket, SHA-256, AES-GCM), whole process",
                    jdk, "%.0f ms", "");
            row("client: ./passsafe.sh get from a --session safe, whole process", get, "%.0f ms", "≤ 1.3× JVM, ≤ 0.6× original-like");
            row("client: CPU seconds of that ./passsafe.sh get (user + system)", cpu, "%.2f s", "≤ 0.3 s");
            row("client: Client.local().password(), first call in a fresh JVM, whole process", local, "%.0f ms", "≤ 1.4× JVM");
        }
    }

    /** Wall milliseconds and CPU seconds of {@code command}, with no credential in its environment. */
    private static double[] timeWithCpu(String... command) throws Exception {
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "cpu %U %S"));
        timed.addAll(List.of(command));
        String[] err = new String[1];
        double wall = timeProcess(null, err, timed.toArray(new String[0]));
        String[] cpu = err[0].substring(err[0].lastIndexOf("cpu ") + 4).trim().split(" ");
        return new double[] {wall, Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1])};
    }

    /** Milliseconds of {@code command}, given {@code server}'s passphrase and token unless it is null. */
    private static double timeProcess(Started server, String... command) throws Exception {
        return timeProcess(server, new String[1], command);
    }

    /** As above; {@code err[0]} gets what the command printed on standard error. */
    private static double timeProcess(Started server, String[] err, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (server != null) {
            builder.environment().put(Locator.PASSPHRASE, server.passphrase);
            builder.environment().put(Locator.TOKEN, server.token);
        } else {
            builder.environment().keySet().removeIf(name -> name.startsWith("PASSSAFE_"));
        }
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long start = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        err[0] = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + err[0]);
        }
        return ms(System.nanoTime() - start);
    }

    private static void repeated() throws Exception {
        try (Started server = serve(List.of("./passsafe.sh"), 480)) {
            for (boolean socket : new boolean[] {true, false}) {
                try (Client client = client(server, socket)) {
                    for (int i = 0; i < 3_000; i++) {
                        client.password();
                    }
                    double[] p50 = new double[3];
                    double[] p99 = new double[3];
                    for (int run = 0; run < 3; run++) {
                        double[] each = new double[10_000];
                        for (int i = 0; i < each.length; i++) {
                            long start = System.nanoTime();
                            client.password();
                            each[i] = ms(System.nanoTime() - start);
                        }
                        Arrays.sort(each);
                        p50[run] = each[each.length / 2];
                        p99[run] = each[each.length * 99 / 100];
                    }
                    String channel = socket ? "socket" : "TCP";
                    row("client: repeated password() in one JVM, " + channel + ", p50 of 10,000", p50, "%.3f ms", socket ? "≤ 0.1 ms" : "≤ 0.3 ms");
                    row("client: repeated password() in one JVM, " + channel + ", p99 of 10,000", p99, "%.3f ms", "≤ 2 ms");
                }
            }
        }
    }

    /**
     * How soon consumers waiting on a secret's trial hear the database refused it: 16 threads ask
     * for a secret another consumer has on trial, then that one reports the refusal; the time from
     * the report to the last thread's refusal. Each run replaces the secret, so it is on trial again.
     */
    private static void rejection() throws Exception {
        int waiting = 16;
        double[] times = new double[RUNS];
        try (Started server = serve(List.of("./passsafe.sh"), 480); Client client = client(server, true)) {
            ExecutorService pool = Executors.newFixedThreadPool(waiting);
            try {
                for (int run = 0; run < RUNS; run++) {
                    client.replace(Names.DEFAULT, ("wrong-" + run).toCharArray());
                    Fetched trial = client.fetch(Names.DEFAULT, true);
                    List<Future<?>> refused = new ArrayList<>();
                    for (int i = 0; i < waiting; i++) {
                        refused.add(pool.submit(() -> {
                            try {
                                client.fetch(Names.DEFAULT, true);
                                throw new IllegalStateException("a waiting consumer was handed the secret");
                            } catch (PasssafeException.Rejected expected) {
                                return null;
                            }
                        }));
                    }
                    Thread.sleep(500); // every thread has asked and waits on the trial (the shared client's key is derived)
                    long start = System.nanoTime();
                    client.reject(Names.DEFAULT, trial.version);
                    for (Future<?> one : refused) {
                        one.get(10, TimeUnit.SECONDS);
                    }
                    times[run] = ms(System.nanoTime() - start);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        row("server: a reported refusal → all 16 consumers waiting on the trial refused", times, "%.1f ms", "≤ 50 ms");
    }

    /** A client of {@code server} over the private socket, or over TCP only. */
    private static Client client(Started server, boolean socket) {
        Client client = Client.at(server.url(), server.passphrase, server.token);
        return socket ? client : client.tcpOnly();
    }

    /**
     * What admitting one new TCP connection costs, both ends' owner checks included, as another
     * user inflates the host's connection table with TIME_WAIT rows: rows, then seconds per connection.
     */
    private static void admission() throws Exception {
        try (Started server = serve(List.of("./passsafe.sh"), 480)) {
            for (int rows : new int[] {1_000, 10_000, 100_000}) {
                int table = inflate(rows);
                double[] each = new double[RUNS];
                for (int i = 0; i < RUNS; i++) {
                    Transport transport = new Transport(LoopbackUrl.parse(server.url()), Transport.DEFAULT_DEADLINE);
                    transport.connector.socketAllowed = false;
                    long start = System.nanoTime();
                    transport.send("GET", Protocol.Endpoint.STATUS.path, null).ok();
                    each[i] = ms(System.nanoTime() - start);
                    transport.close();
                }
                row(String.format(Locale.ROOT, "server: admitting one new TCP connection, %,d rows in the host's table", table), each, "%.1f ms",
                        rows == 100_000 ? "≤ 1 s" : "");
            }
        }
    }

    /**
     * Connects and closes first until the tables hold {@code rows} rows, each a TIME_WAIT row for
     * a minute, as another user can for free; returns the rows there are.
     */
    private static int inflate(int rows) throws IOException {
        List<java.net.ServerSocket> listeners = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                java.net.ServerSocket listener = new java.net.ServerSocket(0, 4096, java.net.InetAddress.getLoopbackAddress());
                listeners.add(listener);
                Thread acceptor = new Thread(() -> {
                    while (!listener.isClosed()) {
                        try (java.net.Socket accepted = listener.accept()) {
                            accepted.getInputStream().read();
                        } catch (IOException closed) {
                            // the listener closed
                        }
                    }
                });
                acceptor.setDaemon(true);
                acceptor.start();
            }
            long made = 0;
            for (int host = 2; host < 10 && tableRows() < rows; host++) {
                java.net.InetAddress source = java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host});
                for (int port = 20000; port < 60000; port++, made++) {
                    try (java.net.Socket socket = new java.net.Socket()) {
                        socket.setReuseAddress(true);
                        socket.bind(new java.net.InetSocketAddress(source, port));
                        socket.connect(listeners.get((int) (made % listeners.size())).getLocalSocketAddress());
                    } catch (IOException taken) {
                        // that source port is busy: the next one
                    }
                    if (made % 1000 == 0 && tableRows() >= rows) {
                        break;
                    }
                }
            }
            return tableRows();
        } finally {
            for (java.net.ServerSocket listener : listeners) {
                listener.close();
            }
        }
    }

    private static int tableRows() throws IOException {
        int rows = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try (java.util.stream.Stream<String> lines = Files.lines(Path.of(table))) {
                rows += (int) lines.count() - 1;
            }
        }
        return rows;
    }

    /** 16 client threads for 10 s, three times, against one server started through passsafe.sh. */
    private static void load(int minutes, boolean socket) throws Exception {
        double[] rates = new double[3];
        double[] p99 = new double[3];
        try (Started server = serve(List.of("./passsafe.sh"), minutes)) {
            hammer(server, 16, 2_000, new ArrayList<>(), socket);
            for (int run = 0; run < 3; run++) {
                List<Double> latencies = new ArrayList<>();
                rates[run] = hammer(server, 16, 10_000, latencies, socket);
                double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                p99[run] = sorted[sorted.length * 99 / 100];
            }
        }
        String safe = (minutes == 1 ? "1-minute safe" : "8-hour safe") + (socket ? ", socket" : ", TCP");
        row("server: retrievals/s, 16 client threads, " + safe, rates, "%.0f /s", socket ? "≥ 30,000 /s" : "≥ 10,000 /s");
        row("server: p99 latency under that load, " + safe, p99, "%.2f ms", "");
    }

    /** Runs {@code threads} clients for {@code millis}; returns retrievals per second. */
    private static double hammer(Started server, int threads, long millis, List<Double> latencies, boolean socket) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        List<List<Double>> each = new ArrayList<>();
        long[] counts = new long[threads];
        for (int t = 0; t < threads; t++) {
            List<Double> mine = new ArrayList<>();
            each.add(mine);
            int index = t;
            Client client = client(server, socket);
            client.password();
            workers.add(new Thread(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    client.password();
                    mine.add(ms(System.nanoTime() - start));
                    counts[index]++;
                }
            }));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(millis);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        each.forEach(latencies::addAll);
        return Arrays.stream(counts).sum() / seconds;
    }

    private static void kdf(String java) throws Exception {
        double[] cold = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            Process process = new ProcessBuilder(java, "-cp", JAR + ":build/test-classes", "passsafe.BenchOnce", "kdf").start();
            cold[i] = Double.parseDouble(new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
            process.waitFor();
        }
        char[] passphrase = "crudely explode kilogram detached overdrive sprout".toCharArray();
        for (int i = 0; i < 3; i++) {
            Kdf.derive(passphrase, new byte[16], Kdf.ITERATIONS);
        }
        double[] warm = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            Kdf.derive(passphrase, new byte[16], Kdf.ITERATIONS);
            warm[i] = ms(System.nanoTime() - start);
        }
        row("PBKDF2-HMAC-SHA256, 600,000 iterations, cold (first in a fresh JVM)", cold, "%.0f ms", "");
        row("PBKDF2-HMAC-SHA256, 600,000 iterations, warm", warm, "%.0f ms", "");
    }

    private static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void row(String figure, double[] values, String format, String target) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = median(values);
        String range = sorted.length == 1 ? "" : f(format, sorted[0]) + " – " + f(format, sorted[sorted.length - 1]);
        // Ratios for the whole-process times only: those are what a floor of the same run divides;
        // of the floors, only the JDK's part of a session get, which reads against the JVM's.
        boolean process = figure.contains("whole process") && (!figure.startsWith("floor") || figure.contains("JDK's own part"));
        String toJvm = process && jvmFloor > 0 ? f("%.2f×", median / jvmFloor) : "";
        String toOriginal = process && originalFloor > 0 ? f("%.2f×", median / originalFloor) : "";
        ROWS.add("| " + figure + " | " + f(format, median) + " | " + range + " | " + toJvm + " | " + toOriginal + " | " + target + " |");
        System.err.println(figure + ": " + f(format, median) + (range.isEmpty() ? "" : " (" + range + ")") + (toJvm.isEmpty() ? "" : " " + toJvm + " JVM")
                + (toOriginal.isEmpty() ? "" : " " + toOriginal + " original-like"));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String f(String format, double value) {
        return String.format(Locale.ROOT, format, value).replaceAll("(\\d)(?=(\\d{3})+(?!\\d))", "$1,");
    }

    private static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown CPU");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
