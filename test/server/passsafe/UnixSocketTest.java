package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnixSocketTest {
    private static final String SECRET = "socket-secret";

    @BeforeEach
    void needUnixSockets() {
        Assumptions.assumeTrue(UnixSockets.available(), "skipped: this JVM has no Unix-domain sockets");
    }

    /** Where a server run with this test's environment puts its socket for {@code port}. */
    private static Path socketOf(int port) {
        return PrivateDirectory.Kind.SOCKET.in(PrivateDirectory.candidates(System.getenv()).get(0), port);
    }

    private static Cli.Running running(String... options) throws Exception {
        return new Cli.Running(Duration.ofMinutes(1), "5\n" + SECRET + "\n", options);
    }

    @Test
    void socket_started_livesInAPrivateDirectoryOfTheUsers() throws Exception {
        try (Cli.Running safe = running()) {
            Path socket = PrivateDirectory.find(System.getenv(), safe.port(), PrivateDirectory.Kind.SOCKET);
            assertTrue(socket != null && Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "no socket for port " + safe.port());
            Path dir = socket.getParent();
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)));
            assertEquals(ProcNet.realUid(), Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(socket.getFileName().toString(), safe.port() + ".sock");
        }
    }

    @Test
    void socket_client_usesItAndTheAccessLinesSaySo() throws Exception {
        try (Cli.Running safe = running()) {
            Client client = safe.client();
            assertEquals(SECRET, client.password());
            assertTrue(safe.out.await("(socket): retrieved password", Duration.ofSeconds(10)).contains(
                    Handler.who(true) + " (socket): retrieved password (3 attempts left)"));
        }
    }

    /**
     * The protocol document's curl block, run by bash as written but for its socket: curl for the status
     * and the secret, Python's hashlib (OpenSSL's PBKDF2) for the key check; this JVM opens the
     * envelope it got, so the two languages' key checks agree.
     */
    @Test
    void socket_readmesCurlBlock_isAnswered() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "skipped: no /usr/bin/curl or /usr/bin/python3");
        String readme = Files.readString(Path.of("src/docs/protocol.md"));
        String first = "dir=/tmp/passsafe-$(id -u); sock=$dir/8051.sock\n";
        int start = readme.indexOf("```\n" + first);
        assertTrue(start >= 0, "the protocol document's curl block is gone");
        String block = readme.substring(start + 4, readme.indexOf("```", start + 4));
        try (Cli.Running safe = running()) {
            Path socket = socketOf(safe.port());
            String script = block.replace(first, "dir=" + socket.getParent() + "; sock=" + socket + "\n");
            ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", script);
            builder.environment().put("PASSPHRASE", safe.announced().passphrase());
            builder.environment().put("TOKEN", safe.announced().token().replace(" ", ""));
            Process bash = builder.start();
            String envelope = new String(bash.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            String err = new String(bash.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(bash.waitFor(60, TimeUnit.SECONDS));
            assertTrue(envelope.startsWith("passsafe-envelope 1\nname password\n"), envelope + err);
            try (Opener opener = new Opener(Passphrase.parse(safe.announced().passphrase()), Fixture.CHEAP)) {
                Transport transport = new Transport(LoopbackUrl.localhost(safe.port()), Transport.DEFAULT_DEADLINE);
                Protocol.Status status = Protocol.Status.parse(transport.send("GET", Protocol.Endpoint.STATUS.path, null).ok());
                transport.close();
                opener.keyCheck(() -> status);
                assertEquals(SECRET, new String(opener.open(envelope.getBytes(StandardCharsets.US_ASCII), Names.DEFAULT)));
            }
        }
    }

    @Test
    void listen_staleSocket_replacedButALiveOneIsNot() throws Exception {
        int port = 1; // the socket's name only: no TCP port is bound here
        Path socket = socketOf(port);
        try (UnixServer first = UnixServer.listen(System.getenv(), port, note -> { })) {
            assertEquals(socket, first.socket());
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
            CannotServe live = assertThrows(CannotServe.class, () -> UnixServer.listen(System.getenv(), port, note -> { }));
            assertEquals("another safe of yours already answers on " + socket, live.getMessage());
        }
        // A killed server leaves its socket file behind, with nothing listening on it.
        PrivateDirectory.prepare(System.getenv(), note -> { });
        SocketStream.Listener killed = UnixSockets.listen(socket);
        killed.close();
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "closing a listener leaves its file");
        try (UnixServer replacing = UnixServer.listen(System.getenv(), port, note -> { })) {
            replacing.start(new Handler(new Gate(port, ProcNet.ownUid()), line -> { }));
            try (SocketStream stream = UnixSockets.connect(socket)) {
                assertEquals(PrivateDirectory.self(), stream.peer());
            }
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "gone once closed");
    }

    @Nested
    class GoneAfterEveryEnd {
        @Test
        void socket_expiry_isRemoved() throws Exception {
            // A 100 ms minute: the 1-minute safe lives a tenth of a second.
            Cli.Running safe = new Cli.Running(Duration.ofMillis(100), "1\n" + SECRET + "\n");
            Path socket = socketOf(safe.port());
            assertEquals(0, safe.end().status());
            assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        }

        @Test
        void socket_stop_isRemoved() throws Exception {
            Cli.Running safe = running();
            Path socket = socketOf(safe.port());
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
            safe.close();
            assertEquals(0, safe.end().status());
            assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        }

        @Test
        void socket_lock_isRemovedWhileTcpSaysWhy() throws Exception {
            try (Cli.Running safe = running("--session")) {
                Path socket = socketOf(safe.port());
                Path session = PrivateDirectory.Kind.SESSION.in(socket.getParent(), safe.port());
                assertTrue(Files.exists(session));
                Client wrong = new Client(safe.announced().passphrase(), safe.announced().token().equals("111 111") ? "222222" : "111111",
                        safe.announced().url(), Fixture.CHEAP);
                for (int i = 0; i < Token.MAX_ATTEMPTS - 1; i++) {
                    assertThrows(PasssafeException.InvalidToken.class, wrong::password);
                }
                assertThrows(PasssafeException.Locked.class, wrong::password);
                safe.out.await("The safe is locked after 3 invalid tokens", Duration.ofSeconds(10));
                assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the socket went with the lock");
                assertFalse(Files.exists(session), "the session file went with the lock");
                assertThrows(PasssafeException.Locked.class, () -> safe.client().password());
            }
        }

        @ParameterizedTest(name = "SIG{0}")
        @ValueSource(strings = {"INT", "TERM", "HUP"})
        void socket_signal_isRemoved(String signal) throws Exception {
            try (JarServer server = JarServer.started("1\n" + SECRET + "\n", JarServer.jar("--session"))) {
                Path socket = socketOf(server.port);
                Path session = PrivateDirectory.Kind.SESSION.in(socket.getParent(), server.port);
                assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && Files.exists(session));
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(server.pid())).start();
                assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0);
                assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "the server ends on SIG" + signal);
                assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the socket outlived SIG" + signal);
                assertFalse(Files.exists(session), "the session file outlived SIG" + signal);
            }
        }
    }

    @Test
    void prepare_directoryOthersMayEnter_passedOverSayingWhatToDo(@TempDir Path tmp) throws Exception {
        Path runtime = tmp.resolve("runtime");
        Files.createDirectories(runtime.resolve("passsafe"));
        Files.setPosixFilePermissions(runtime.resolve("passsafe"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of(PrivateDirectory.RUNTIME_DIR, runtime.toString());
        List<String> notes = new ArrayList<>();
        Path used = PrivateDirectory.prepare(env, notes::add);
        assertEquals(PrivateDirectory.candidates(env).get(1), used, "the next candidate");
        assertEquals(List.of("cannot use " + runtime.resolve("passsafe") + " for the safe's files: others may enter it (rwxr-xr-x);"
                + " remove it, or set XDG_RUNTIME_DIR to a directory of your own that only you can enter"), notes);
        Files.createFile(runtime.resolve("passsafe/1.sock"));
        assertEquals(null, PrivateDirectory.find(env, 1, PrivateDirectory.Kind.SOCKET), "a client does not trust it either");
    }

    @Test
    void prepare_everyCandidateUnusable_failsNamingTheLast(@TempDir Path tmp) throws Exception {
        Path runtime = tmp.resolve("runtime");
        Files.createDirectories(runtime.resolve("passsafe"));
        Files.setPosixFilePermissions(runtime.resolve("passsafe"), PosixFilePermissions.fromString("rwxrwxrwx"));
        String home = System.getProperty("user.home");
        String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("user.home", "relative-so-no-home-candidate");
        System.setProperty("java.io.tmpdir", runtime.toString());
        try {
            Files.createDirectories(runtime.resolve("passsafe-" + ProcNet.realUid()));
            Files.setPosixFilePermissions(runtime.resolve("passsafe-" + ProcNet.realUid()), PosixFilePermissions.fromString("rwxrwxrwx"));
            List<String> notes = new ArrayList<>();
            CannotServe failure = assertThrows(CannotServe.class, () -> Server.directory(Map.of(PrivateDirectory.RUNTIME_DIR, runtime.toString()), notes::add));
            assertEquals("none of your private directories can hold the safe's files", failure.getMessage());
            assertEquals(2, notes.size(), notes.toString());
            assertEquals("cannot use " + runtime.resolve("passsafe-" + ProcNet.realUid()) + " for the safe's files: others may enter it (rwxrwxrwx);"
                    + " remove it, or set XDG_RUNTIME_DIR to a directory of your own that only you can enter", notes.get(1));
        } finally {
            System.setProperty("user.home", home);
            System.setProperty("java.io.tmpdir", tmpdir);
        }
    }

    @Test
    void prepare_newDirectory_createdPrivate(@TempDir Path tmp) throws Exception {
        Path dir = PrivateDirectory.prepare(Map.of(PrivateDirectory.RUNTIME_DIR, tmp.toString()), note -> { });
        assertEquals(tmp.resolve("passsafe"), dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        List<Path> candidates = PrivateDirectory.candidates(Map.of(PrivateDirectory.RUNTIME_DIR, tmp.toString()));
        assertEquals(dir, candidates.get(0));
        assertTrue(candidates.get(1).getFileName().toString().startsWith("passsafe-"), candidates.toString());
        Files.delete(dir);
    }

    @Test
    @Tag("other-user")
    void socket_anotherUser_cannotReachIt() throws Exception {
        Assumptions.assumeTrue(ProcNet.ownUid() == 0 && Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: needs root and setpriv");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "skipped: no /usr/bin/curl");
        try (Cli.Running safe = running()) {
            Path socket = socketOf(safe.port());
            Process curl = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/curl", "-sS",
                    "--unix-socket", socket.toString(), "http://localhost/v1/status").redirectErrorStream(true).start();
            String said = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            assertEquals(7, curl.exitValue(), "curl's 'could not connect': " + said);
            assertTrue(said.contains("Permission denied") || said.contains("Couldn't connect"), said);
        }
    }

    @Test
    void client_staleSocket_fallsBackToTcp() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Path socket = PrivateDirectory.Kind.SOCKET.in(PrivateDirectory.prepare(System.getenv(), note -> { }), safe.server.port());
            SocketStream.Listener dead = UnixSockets.listen(socket);
            dead.close();
            try {
                assertEquals(SECRET, safe.client().password());
            } finally {
                Files.deleteIfExists(socket);
            }
        }
    }

    @Test
    void socketClosedBeforeAnswering_fallsBackToTcp() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            Path socket = PrivateDirectory.Kind.SOCKET.in(PrivateDirectory.prepare(System.getenv(), note -> { }), safe.server.port());
            SocketStream.Listener closing = UnixSockets.listen(socket);
            Thread closer = new Thread(() -> {
                try {
                    while (true) {
                        closing.accept().close();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "closes-before-answering");
            closer.start();
            try {
                assertEquals(SECRET, safe.client().password());
            } finally {
                closing.close();
                closer.join(10_000);
                Files.deleteIfExists(socket);
            }
        }
    }
}
