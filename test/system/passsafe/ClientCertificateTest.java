package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private key, not a password: PostgreSQL with client-certificate authentication (TLS on, a
 * {@code hostssl … cert} rule; a CA, server and client certificates made with openssl here), the
 * client's key given to a safe with {@code --from-file} and then deleted, and {@code psql} logging
 * in with it through {@code passsafe exec --file PGSSLKEY=pgkey}: the key lives in a file in memory
 * while psql runs, and nowhere after.
 */
class ClientCertificateTest {
    private static final String ROLE = "analyst";
    @TempDir
    static Path dir;
    private static Postgres postgres;

    @BeforeAll
    static void startPostgresWithTls() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=passsafe-test-ca");
        certificate("server", "127.0.0.1");
        certificate("client", ROLE);
        postgres = Postgres.start();
        postgres.sql("alter system set log_connections = on");
        postgres.tls(dir.resolve("server.crt"), dir.resolve("server.key"), dir.resolve("ca.crt"), "hostssl all " + ROLE + " 127.0.0.1/32 cert");
        postgres.sql("create role " + ROLE + " login");
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A key and a certificate for {@code commonName}, signed by the test's CA. */
    private static void certificate(String name, String commonName) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".crt", "-days", "1");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Cli.Run run = Processes.run(new ProcessBuilder(command).directory(dir.toFile()));
        assertEquals(0, run.status(), "openssl " + String.join(" ", args) + ": " + run.err());
    }

    @Test
    void psql_logsInWithTheKeyFromTheSafe_inAFileInMemoryOnlyWhileItRuns() throws Exception {
        Path key = dir.resolve("client.key");
        try (JarServer safe = JarServer.started("5\n", JarServer.jar("--session", "--secret", "pgkey", "--from-file", key.toString()))) {
            Files.delete(key); // the user's copy goes: the safe holds the key now
            String connect = "host=127.0.0.1 port=" + postgres.port + " dbname=postgres user=" + ROLE + " sslmode=verify-ca sslrootcert="
                    + dir.resolve("ca.crt") + " sslcert=" + dir.resolve("client.crt");
            List<String> exec = JarServer.jar("exec", "--port", Integer.toString(safe.port), "--file", "PGSSLKEY=pgkey", "--", "/bin/sh", "-c",
                    "echo \"$PGSSLKEY\"; stat -c %a \"$PGSSLKEY\"; stat -f -c %T \"$PGSSLKEY\"; psql -w -tA \"$0\" -c 'select current_user'", connect);
            Cli.Run run = Processes.run(new ProcessBuilder(exec));
            assertEquals(0, run.status(), run.out() + run.err());
            List<String> said = run.out().lines().collect(java.util.stream.Collectors.toList());
            assertEquals(List.of("600", "tmpfs", ROLE), said.subList(1, 4), "while psql ran: the key 0600 on tmpfs; then it logged in as " + ROLE);
            Path file = Path.of(said.get(0));
            assertFalse(Files.exists(file) || Files.exists(file.getParent()), "the key's file and directory are gone once psql ended");
            assertTrue(postgres.log().lines().anyMatch(line -> line.contains("connection authorized: user=" + ROLE) && line.contains("SSL enabled")),
                    "PostgreSQL logged no login over TLS: " + postgres.log());
        }
    }
}
