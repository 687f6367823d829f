package passsafe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from Debian's packages: a new cluster in a temporary directory,
 * listening on a free loopback port, with password (SCRAM) authentication over TCP. Runs as user
 * postgres when the tests run as root, since PostgreSQL refuses to run as root. Fails with the
 * reason when it cannot start: the tests need it, and .ci/run installs it.
 */
final class Postgres implements AutoCloseable {
    final int port;
    private final Path dir;
    private final Path bin;
    private final boolean asPostgres;
    private final Thread cleanupOnExit;

    private Postgres(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
        this.cleanupOnExit = new Thread(this::stopQuietly, "postgres-cleanup");
    }

    static Postgres start() throws Exception {
        Path bin = binaries();
        boolean root = ProcNet.ownUid() == 0;
        Path dir = Files.createTempDirectory("passsafe-pg");
        Postgres pg = new Postgres(bin, dir, Fixture.closedPort(), root);
        Runtime.getRuntime().addShutdownHook(pg.cleanupOnExit);
        try {
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            pg.run("initdb", "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--no-instructions");
            pg.run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "30",
                    "-o", "-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
            return pg;
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
    }

    /** The newest installed server's binaries, or a failure that says what to install. */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparing(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0")))).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new AssertionError("PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb):"
                + " apt-get install postgresql; .ci/run installs it on a clean machine");
    }

    /**
     * Turns on TLS with {@code certificate} and {@code key} for the server and {@code ca} for the
     * clients' certificates, and puts {@code hbaLine} first among its authentication rules.
     */
    void tls(Path certificate, Path key, Path ca, String hbaLine) throws Exception {
        Path data = dir.resolve("data");
        UserPrincipal owner = Files.getOwner(data);
        for (Path file : List.of(certificate, key, ca)) {
            Path copy = Files.copy(file, data.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setOwner(copy, owner);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        }
        Path hba = data.resolve("pg_hba.conf");
        Files.writeString(hba, hbaLine + "\n" + Files.readString(hba));
        sql("alter system set ssl = on");
        sql("alter system set ssl_cert_file = '" + certificate.getFileName() + "'");
        sql("alter system set ssl_key_file = '" + key.getFileName() + "'");
        sql("alter system set ssl_ca_file = '" + ca.getFileName() + "'");
        sql("select pg_reload_conf()");
    }

    /** What the server has logged so far. */
    String log() throws IOException {
        return Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
    }

    /** Runs SQL as the superuser over the Unix socket. */
    void sql(String statement) throws Exception {
        run(Path.of("/usr/bin/psql"), List.of("-h", dir.toString(), "-p", Integer.toString(port), "-U", "postgres",
                "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", statement));
    }

    private void run(String tool, String... args) throws Exception {
        run(bin.resolve(tool), List.of(args));
    }

    private void run(Path tool, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
        }
        command.add(tool.toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("PostgreSQL could not be set up: " + tool.getFileName() + " said: " + output.trim());
        }
    }

    private void stopQuietly() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
            }
        } catch (Exception | AssertionError e) {
            System.err.println("postgres: could not stop: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("postgres: could not remove " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is doing the same
        }
    }
}
