package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Another user (nobody) takes the owner's predictable socket directory in /tmp first, in every form
 * it can: the owner's safe still starts and serves, its clients find it, and nothing reaches the
 * squatter. Runs only as root, acting as nobody through setpriv.
 */
class SquatTest {
    private static final int NOBODY = 65534;
    private static final String SECRET = "squat-secret";
    private static final Path TAKEN = Paths.get(System.getProperty("java.io.tmpdir"), "passsafe-" + ProcNet.realUid());
    private static final Path NOBODYS = Paths.get(System.getProperty("java.io.tmpdir"), "nobody-s-own");

    @BeforeEach
    void needRootSetprivAndSockets() {
        Assumptions.assumeTrue(ProcNet.realUid() == 0 && Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: needs root and setpriv");
        Assumptions.assumeTrue(UnixSockets.available(), "skipped: this JDK has no Unix-domain sockets");
    }

    private static Process asNobody(String script) throws Exception {
        return new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "/bin/sh", "-c", script)
                .redirectErrorStream(true).start();
    }

    private static void run(String script) throws Exception {
        Process sh = asNobody(script);
        String said = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(sh.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, sh.exitValue(), script + ": " + said);
    }

    /** The environment of a user's shell with no runtime directory: /tmp is the first candidate. */
    private static void plainEnvironment(Map<String, String> env) {
        env.remove(PrivateDirectory.RUNTIME_DIR);
        env.keySet().removeIf(name -> name.startsWith("PASSSAFE_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"directory 0700", "directory 0777", "symlink to nobody's directory", "symlink to the owner's directory", "file",
        "listening socket"})
    void startAndGet_anotherUserTookTheTmpDirectoryFirst_servedFromTheNextAndNothingReachesThem(String form) throws Exception {
        int port = Fixture.closedPort();
        Path received = Files.createTempFile("squat", ".bytes");
        Files.setPosixFilePermissions(received, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Path ownersOther = Files.createTempDirectory("owner-s");
        removeTaken();
        run("rm -rf " + NOBODYS + " && mkdir -m 0755 " + NOBODYS);
        // Nobody's listener, where a careless client would connect: in the taken directory, or as it.
        String listener = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)\n"
                + "while True:\n"
                + "    c,_=s.accept(); d=c.recv(65536)\n"
                + "    open(sys.argv[2],'ab').write(d); c.close()\n";
        Path script = NOBODYS.resolve("listen.py");
        Process squatter = null;
        switch (form) {
            case "directory 0700":
                run("mkdir -m 0700 " + TAKEN);
                break;
            case "directory 0777":
                run("mkdir -m 0777 " + TAKEN);
                break;
            case "symlink to nobody's directory":
                run("ln -s " + NOBODYS + " " + TAKEN);
                break;
            case "symlink to the owner's directory":
                run("ln -s " + ownersOther + " " + TAKEN);
                break;
            case "file":
                run("touch " + TAKEN);
                break;
            default:
                break;
        }
        run("cat > " + script + " <<'EOF'\n" + listener + "EOF");
        Path listening = form.equals("listening socket") ? TAKEN
                : form.startsWith("directory 0777") ? TAKEN.resolve(port + ".sock") : NOBODYS.resolve(port + ".sock");
        squatter = asNobody("exec python3 " + script + " " + listening + " " + received);
        try {
            for (int i = 0; i < 100 && !Files.exists(listening, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
                Thread.sleep(100); // a bounded wait for nobody's listener to bind
            }
            ownersSafeServes(port, form);
            assertEquals(0, Files.size(received), "no byte reached nobody's listener");
        } finally {
            squatter.destroy();
            squatter.waitFor(10, TimeUnit.SECONDS);
            removeTaken();
            Files.deleteIfExists(received);
        }
    }

    private static void ownersSafeServes(int port, String form) throws Exception {
        List<String> command = new ArrayList<>(JarServer.jar("--session", "--port", Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        plainEnvironment(builder.environment());
        Process server = builder.start();
        try {
            try (OutputStream in = server.getOutputStream()) {
                in.write(("5\n" + SECRET + "\n").getBytes(StandardCharsets.UTF_8));
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder printed = new StringBuilder();
            for (String line = out.readLine(); line != null && !line.startsWith("Serving on"); line = out.readLine()) {
                printed.append(line).append('\n');
            }
            assertTrue(printed.toString().contains("passsafe: note: cannot use " + TAKEN + " for the safe's files: "), form + ":\n" + printed);
            List<Path> candidates = PrivateDirectory.candidates(Map.of());
            Path used = candidates.get(candidates.size() - 1);
            assertTrue(Files.exists(PrivateDirectory.Kind.SOCKET.in(used, port)), "the socket is in " + used + ":\n" + printed);

            ProcessBuilder get = new ProcessBuilder("setsid", "-w", "./passsafe.sh", "get", "--port", Integer.toString(port))
                    .redirectInput(new File("/dev/null"));
            plainEnvironment(get.environment());
            Process got = get.start();
            String secret = new String(got.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(got.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(got.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, got.exitValue(), form + ": " + err);
            assertEquals(SECRET, secret);
            try (Client client = Client.local("http://localhost:" + port)) {
                assertEquals(SECRET, client.password());
            }
        } finally {
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @org.junit.jupiter.api.Test
    void betweenTwoSafes_theDirectoryStaysTheOwnersAndCannotBeTaken() throws Exception {
        removeTaken();
        try (JarServer first = JarServer.started("5\n" + SECRET + "\n", JarServer.jar())) {
            assertNotEquals(0, first.port);
        }
        assertTrue(Files.isDirectory(TAKEN, java.nio.file.LinkOption.NOFOLLOW_LINKS), "kept when the safe ended");
        Process sh = asNobody("rmdir " + TAKEN + " || rm -rf " + TAKEN + " ; mkdir " + TAKEN);
        sh.getInputStream().readAllBytes();
        assertTrue(sh.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, sh.exitValue(), "nobody can neither remove nor make it");
        assertEquals(0, Files.getAttribute(TAKEN, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.isSymbolicLink(TAKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Duser.name=nobody", "JAVA_TOOL_OPTIONS=-Duser.name=nobody"})
    void get_userNameSetToNobody_neitherLooksInNorSendsToNobodysDirectory(String how) throws Exception {
        int port = Fixture.closedPort();
        // Where a client that trusted user.name would look: nobody's own directory, under the name it had before 0.2.
        Path nobodys = Paths.get(System.getProperty("java.io.tmpdir"), "passsafe-nobody");
        Path received = Files.createTempFile("squat", ".bytes");
        Files.setPosixFilePermissions(received, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        run("rm -rf " + nobodys + " && mkdir -m 0700 " + nobodys + " && rm -rf " + NOBODYS + " && mkdir -m 0755 " + NOBODYS
                + " && cat > " + NOBODYS + "/listen.py <<'EOF'\nimport socket,sys\ns=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)\n"
                + "while True:\n    c,_=s.accept(); open(sys.argv[2],'ab').write(c.recv(65536)); c.close()\nEOF");
        Path socket = nobodys.resolve(port + ".sock");
        Process squatter = asNobody("exec python3 " + NOBODYS + "/listen.py " + socket + " " + received);
        try {
            for (int i = 0; i < 100 && !Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
                Thread.sleep(100); // a bounded wait for nobody's listener to bind
            }
            assertTrue(Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            List<String> command = new ArrayList<>(List.of(JarServer.jdkTool("java").toString()));
            if (how.startsWith("-D")) {
                command.add(how);
            }
            command.addAll(List.of("-jar", JarServer.JAR.toString(), "get", "--port", Integer.toString(port)));
            ProcessBuilder builder = new ProcessBuilder(command);
            plainEnvironment(builder.environment());
            if (!how.startsWith("-D")) {
                builder.environment().put("JAVA_TOOL_OPTIONS", "-Duser.name=nobody");
            }
            builder.environment().put(Locator.PASSPHRASE, Fixture.someWords());
            builder.environment().put(Locator.TOKEN, "936265");
            Process get = builder.start();
            get.getOutputStream().close();
            get.getInputStream().readAllBytes();
            String err = new String(get.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(get.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, get.exitValue(), err);
            assertTrue(err.contains("passsafe: error: no passsafe server answers at http://localhost:" + port), err);
            assertEquals(0, Files.size(received), "nothing reached nobody's socket");
        } finally {
            squatter.destroy();
            squatter.waitFor(10, TimeUnit.SECONDS);
            run("rm -rf " + nobodys);
            Files.deleteIfExists(received);
        }
    }

    @org.junit.jupiter.api.Test
    void serveAndGet_aUidWithNoPasswdEntry_bothWork() throws Exception {
        int uid = 54321;
        Process check = new ProcessBuilder("getent", "passwd", Integer.toString(uid)).start();
        Assumptions.assumeTrue(check.waitFor() != 0, "skipped: uid " + uid + " has a passwd entry here");
        try (SafeOf safe = SafeOf.start(uid)) {
            assertEquals(SECRET, safe.get());
        }
    }

    @org.junit.jupiter.api.Test
    void serveAndGet_twoUsersNamedWithAnAtAnd50Characters_eachServedAtOnce() throws Exception {
        // As SSSD or Active Directory names them; useradd refuses such names, so they go into /etc/passwd for the test.
        Path passwd = Path.of("/etc/passwd");
        String original = Files.readString(passwd);
        String first = "analyst.one@corp.example.com." + "x".repeat(21);
        String second = "analyst.two@corp.example.com." + "y".repeat(21);
        assertEquals(50, first.length());
        Files.writeString(passwd, original + first + ":x:54322:54322::/nonexistent:/bin/sh\n" + second + ":x:54323:54323::/nonexistent:/bin/sh\n");
        try (SafeOf one = SafeOf.start(54322); SafeOf two = SafeOf.start(54323)) {
            assertEquals(SECRET, one.get());
            assertEquals(SECRET, two.get());
            assertNotEquals(one.socket.getParent(), two.socket.getParent(), "each in a directory of its own");
        } finally {
            Files.writeString(passwd, original);
        }
    }

    /** A safe run as {@code uid} with the real jar, its socket where that uid's directory is, and a get as the same uid. */
    private record SafeOf(Process process, Announced announced, int port, Path socket, Path dir) implements AutoCloseable {
        static SafeOf start(int uid) throws Exception {
            int port = Fixture.closedPort();
            Path dir = Files.createTempDirectory("uid-" + uid);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            ProcessBuilder builder = new ProcessBuilder(asUid(uid, "--port", Integer.toString(port))).redirectErrorStream(true).directory(dir.toFile());
            plainEnvironment(builder.environment());
            builder.environment().remove("HOME");
            Process safe = builder.start();
            try (OutputStream in = safe.getOutputStream()) {
                in.write(("5\n" + SECRET + "\n").getBytes(StandardCharsets.UTF_8));
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(safe.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder printed = new StringBuilder();
            String line = out.readLine();
            for (; line != null && !line.startsWith("Serving on"); line = out.readLine()) {
                printed.append(line).append('\n');
            }
            assertTrue(line != null, "the safe of uid " + uid + " started:\n" + printed);
            Path socket = Paths.get(System.getProperty("java.io.tmpdir"), "passsafe-" + uid, port + ".sock");
            assertTrue(Files.exists(socket), "its socket is in the directory named for its uid: " + printed);
            return new SafeOf(safe, Announced.parse(printed + line + "\n"), port, socket, dir);
        }

        String get() throws Exception {
            int uid = (Integer) Files.getAttribute(socket.getParent(), "unix:uid");
            ProcessBuilder client = new ProcessBuilder(asUid(uid, "get", "--port", Integer.toString(port))).directory(dir.toFile());
            plainEnvironment(client.environment());
            client.environment().put(Locator.PASSPHRASE, announced.passphrase());
            client.environment().put(Locator.TOKEN, announced.token());
            Process got = client.start();
            got.getOutputStream().close();
            String secret = new String(got.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(got.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(got.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, got.exitValue(), err);
            return secret;
        }

        private static List<String> asUid(int uid, String... args) {
            List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                    JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            return command;
        }

        @Override
        public void close() throws java.io.IOException {
            process.destroy();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
                new ProcessBuilder("rm", "-rf", socket.getParent().toString(), dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void removeTaken() throws Exception {
        Process rm = new ProcessBuilder("rm", "-rf", TAKEN.toString()).start();
        assertTrue(rm.waitFor(30, TimeUnit.SECONDS));
    }
}
