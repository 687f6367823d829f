package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another user of the same host, played by {@code nobody} (uid 65534) through setpriv. */
class OtherUserTest {
    private static final int NOBODY = 65534;
    private static final String SECRET = "other-user-secret";

    @BeforeEach
    void needRootAndSetpriv() {
        Assumptions.assumeTrue(ProcNet.ownUid() == 0, "skipped: acting as another user needs root and /proc/net");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: no /usr/bin/setpriv");
    }

    private static ProcessBuilder asNobody(String... command) {
        List<String> args = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        args.addAll(List.of(command));
        return new ProcessBuilder(args).redirectErrorStream(true);
    }

    @Test
    void clientOfAnotherUser_withTheRightToken_isRefusedUncounted() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            String request = Raw.post(port, "127.0.0.1:" + port, safe.token, "");
            Process bash = asNobody("/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port + " && printf '%s' \"$0\" >&3 && cat <&3", request).start();
            String answer = new String(bash.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(bash.waitFor(20, TimeUnit.SECONDS));
            assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
            assertTrue(answer.endsWith(Handler.REFUSED + "\n"), answer);
            assertTrue(safe.log.isEmpty(), "refusals are summed up, not logged one by one: " + safe.log);
            safe.handler.summarize();
            assertEquals(List.of("refused 1 request in the last minute: 1 from other users, 0 from web pages or with a wrong Host, 0 not from a passsafe client"), safe.log);
            assertEquals(SECRET, safe.client().password());
            assertEquals(Token.MAX_ATTEMPTS, safe.safe.retrieve(Token.parse(safe.token), Names.DEFAULT, null, false).attemptsLeft);
        }
    }

    /**
     * Another user with the right token, key check and a properly sealed envelope: her {@code set}
     * and {@code reject} are refused at the gate, uncounted, and change nothing; and passsafe's
     * own client, run as her, never sends the credentials to the owner's safe at all.
     */
    @Test
    void setAndRejectOfAnotherUser_withEverythingRight_refusedUncountedNothingChanged() throws Exception {
        try (Fixture safe = new Fixture(SECRET)) {
            int port = safe.server.port();
            byte[] salt = safe.safe.status().salt;
            byte[] key = Kdf.derive(safe.passphrase.toCharArray(), salt, Fixture.CHEAP);
            String envelope = new String(Envelope.seal(Names.DEFAULT, "hers".getBytes(StandardCharsets.UTF_8), key, salt, Fixture.CHEAP).encode(),
                    StandardCharsets.US_ASCII);
            String head = "Host: 127.0.0.1:" + port + "\r\nPasssafe-Token: " + safe.token + "\r\nPasssafe-Key-Check: " + safe.keyCheck
                    + "\r\nConnection: close\r\n";
            String replace = "POST /v1/replace HTTP/1.1\r\n" + head + "Content-Length: " + envelope.length() + "\r\n\r\n" + envelope;
            String reject = "POST /v1/reject HTTP/1.1\r\n" + head + "Passsafe-Version: 0\r\nContent-Length: 0\r\n\r\n";
            for (String request : List.of(replace, reject)) {
                Process bash = asNobody("/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port + " && printf '%s' \"$0\" >&3 && cat <&3", request).start();
                String answer = new String(bash.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(bash.waitFor(20, TimeUnit.SECONDS));
                assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
            }
            ProcessBuilder cli = asNobody(JarServer.jdkTool("java").toString(), "-jar", JarServer.JAR.toAbsolutePath().toString(), "reject", "--port",
                    Integer.toString(port));
            cli.environment().putAll(Map.of(Locator.PASSPHRASE, safe.passphrase, Locator.TOKEN, safe.token, "HOME", "/nonexistent"));
            Process run = cli.start();
            String said = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, run.exitValue(), said);
            assertTrue(said.contains("another user (uid 0) is listening on the port of") && said.contains("so the token was not sent"), said);
            assertEquals(List.of(SECRET, 0, 0, Token.MAX_ATTEMPTS), List.of(safe.client().password(), safe.safe.status().replaced,
                    safe.safe.status().rejected, safe.safe.status().attemptsLeft));
        }
    }

    /** A listener owned by nobody on a port the system picked, which prints how many bytes the first connection sent it. */
    private record Squatter(Process process, BufferedReader out, int port) implements AutoCloseable {
        /** The squatter's report on its first connection, once that connection has closed; "" if nobody connected in 30 s. */
        String received() throws Exception {
            String line = out.readLine();
            return line == null ? "" : line;
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /** A squatter on {@code address}, at {@code port} (0: a free one). */
    private static Squatter squat(Path dir, String address, int port) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path source = dir.resolve("Squatter.java");
        Files.writeString(source, String.join("\n",
                "import java.net.*;",
                "public class Squatter {",
                "  public static void main(String[] a) throws Exception {",
                "    try (ServerSocket s = new ServerSocket()) {",
                "      s.bind(new InetSocketAddress(InetAddress.getByName(a[0]), Integer.parseInt(a[1])));",
                "      System.out.println(\"listening \" + s.getLocalPort());",
                "      s.setSoTimeout(30000);",
                "      try (Socket c = s.accept()) {",
                "        c.setSoTimeout(5000);",
                "        System.out.println(\"received \" + c.getInputStream().readAllBytes().length + \" bytes\");",
                "      } catch (SocketTimeoutException e) { }",
                "    }",
                "  }",
                "}", ""));
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        Process squatter = asNobody(JarServer.jdkTool("java").toString(), "-Xshare:auto", source.toString(), address, Integer.toString(port)).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(squatter.getInputStream(), StandardCharsets.UTF_8));
        String listening = out.readLine();
        assertTrue(listening != null && listening.matches("listening \\d+"), "the squatter could not listen: " + listening);
        return new Squatter(squatter, out, Integer.parseInt(listening.substring("listening ".length())));
    }

    private static Cli.Run serverOn(int port) {
        return Cli.run(Map.of(), "1\nsecret\n", "--port", Integer.toString(port));
    }

    @Test
    void squatterOnTheSameAddress_serverRefusesToStart(@TempDir Path dir) throws Exception {
        try (Squatter squatter = squat(dir, "127.0.0.1", 0)) {
            int port = squatter.port();
            Cli.Run run = serverOn(port);
            assertTrue(squatter.process().isAlive(), "the squatter still holds the port");
            assertEquals(1, run.status());
            assertEquals("", run.out(), "nothing asked, nothing printed");
            assertTrue(run.err().startsWith("passsafe: error: port " + port + " is already in use by another user (uid " + NOBODY + ")\n"
                    + "passsafe: hint: that program may be waiting to catch your token"), run.err());
        }
    }

    @Test
    void squatterOnIpv6Loopback_serverRefusesToStart(@TempDir Path dir) throws Exception {
        try (Squatter squatter = squat(dir, "::1", 0)) {
            Cli.Run run = serverOn(squatter.port());
            assertTrue(squatter.process().isAlive(), "the squatter still holds the port");
            assertEquals(1, run.status(), run.err());
            assertTrue(run.err().contains("already in use by another user (uid " + NOBODY + ")"), run.err());
        }
    }

    @Test
    void squatterOnThePort_clientRefusesToSendItsToken(@TempDir Path dir) throws Exception {
        try (Squatter squatter = squat(dir, "127.0.0.1", 0)) {
            int port = squatter.port();
            Client client = Client.at("http://localhost:" + port, Fixture.someWords(), "936265");
            PasssafeException e = assertThrows(PasssafeException.UntrustedServer.class, client::password);
            assertTrue(e.getMessage().startsWith("another user (uid " + NOBODY + ") is listening on the port of http://localhost:" + port
                    + ": it may be trying to catch your token, so the token was not sent"), e.getMessage());
            String received = squatter.received();
            assertTrue(received.isEmpty() || received.equals("received 0 bytes"), "the squatter got the request: " + received);
        }
    }
}
