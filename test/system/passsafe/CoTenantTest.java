package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared host where another user, played by {@code nobody}, crowds the safe's TCP port or
 * inflates the connection table, while the owner runs {@code passsafe.sh get} as users do. The
 * attacker ({@code test/cotenant/CoTenant.java}) stays on loopback and ends by itself.
 */
class CoTenantTest {
    private static final String SECRET = "co-tenant-secret";
    private static final int GETS = 10;
    /**
     * Each get must end by itself within its own deadline (10 s), plus a JVM's start on a loaded
     * 2-core machine: crowding cannot stretch it. How fast they are is for make bench to say.
     */
    private static final long GET_MILLIS = Transport.DEFAULT_DEADLINE.toMillis() + 20_000;

    @TempDir
    Path dir;

    @BeforeEach
    void needRootSetprivAndUnixSockets() {
        Assumptions.assumeTrue(ProcNet.ownUid() == 0, "skipped: acting as another user needs root and /proc/net");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: no /usr/bin/setpriv");
        Assumptions.assumeTrue(UnixSockets.available(), "skipped: the owner's channel needs a JVM with Unix-domain sockets");
    }

    /** The attacker as {@code nobody}, once it says its attack is in place. */
    private Process attack(String... args) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path source = dir.resolve("CoTenant.java");
        Files.copy(Path.of("test/cotenant/CoTenant.java"), source);
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                JarServer.jdkTool("java").toString(), "-Xshare:auto", source.toString()));
        command.addAll(List.of(args));
        Process attacker = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader said = new BufferedReader(new InputStreamReader(attacker.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return said.readLine();
            } catch (Exception e) {
                return e.toString();
            }
        }, Cli::ownThread);
        String line = ready.get(120, TimeUnit.SECONDS);
        assertTrue(line != null && line.startsWith("ready"), "the attack did not start: " + line);
        return attacker;
    }

    /** {@code ./passsafe.sh get} ten times, as a user types it: each must succeed, none past its deadline. */
    private static void ownerGets(JarServer server) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < GETS; i++) {
            ProcessBuilder builder = new ProcessBuilder("./passsafe.sh", "get", "--port", Integer.toString(server.port));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put(Locator.PASSPHRASE, server.passphrase);
            builder.environment().put(Locator.TOKEN, server.token);
            long start = System.nanoTime();
            Process get = builder.start();
            get.getOutputStream().close();
            String out = new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(get.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(get.waitFor(30, TimeUnit.SECONDS));
            long took = (System.nanoTime() - start) / 1_000_000;
            millis.add(took);
            assertEquals(0, get.exitValue(), "get " + (i + 1) + " of " + GETS + " failed: " + err);
            assertEquals(SECRET, out);
            assertTrue(took <= GET_MILLIS, "get " + (i + 1) + " took " + took + " ms; all: " + millis);
        }
        System.out.println("CoTenantTest: " + GETS + " of " + GETS + " gets, in ms: " + millis);
    }

    /** The owner's ten gets while the attacker crowds the safe's port: {@code mode} and how many connections. */
    private void ownerGetsWhileCrowded(String mode, int connections) throws Exception {
        try (JarServer server = JarServer.startScript(SECRET)) {
            Process attacker = attack(mode, Integer.toString(server.port), Integer.toString(connections), "120");
            try {
                ownerGets(server);
            } finally {
                attacker.destroyForcibly();
            }
        }
    }

    @Test
    void get_200IdleConnectionsReopened_10Of10Served() throws Exception {
        ownerGetsWhileCrowded("idle", 200);
    }

    @Test
    void get_62TricklingConnections_10Of10Served() throws Exception {
        ownerGetsWhileCrowded("trickle", 62);
    }

    @Test
    void startAndGet_120000TableRows_10Of10Served() throws Exception {
        Process attacker = attack("timewait", "120000", "120");
        try (JarServer server = JarServer.startScript(SECRET)) {
            ownerGets(server);
            // The TCP path too: a client without the socket still checks the listener's owner in bounded memory.
            assertEquals(SECRET, server.client().password());
        } finally {
            attacker.destroyForcibly();
        }
    }
}
