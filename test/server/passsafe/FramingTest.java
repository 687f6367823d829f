package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two front ends, TCP and the private socket, read every
 * byte string alike: request by request the same statuses, and the same effect on the attempt
 * counter. A string one of them frames differently (a body read as a second request, a header
 * name with a space) is how a token gets smuggled past a check, so the corpus is mostly those.
 */
class FramingTest {
    private static final String TOKEN = "936265";
    private static final String WRONG = "111111";
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

    @TempDir
    static Path runtime;
    private static TcpServer tcp;
    private static UnixServer unix;
    private static Handler handler;
    private static final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(UnixSockets.available(), "skipped: this JDK has no Unix-domain sockets");
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        tcp = TcpServer.bind(0, ProcNet.ownUid());
        unix = UnixServer.listen(Map.of(PrivateDirectory.RUNTIME_DIR, runtime.toString()), tcp.port(), note -> { });
        // TCP peers unchecked (as where /proc/net is missing): the test half-closes its connections to
        // mark where its bytes end, and a half-closed client's row is no longer ESTABLISHED, so the
        // gate would refuse it. What is compared here is how each front end reads bytes.
        handler = new Handler(new Gate(tcp.port(), -1), log::add);
        tcp.start(handler);
        unix.start(handler);
    }

    @AfterAll
    static void stop() {
        if (unix != null) {
            unix.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }

    /** What one front end made of a byte string: the status of each answer, and the attempts it cost. */
    private record Effect(List<Integer> statuses, int attemptsSpent) {}

    private static Effect send(String request, boolean viaSocket) throws Exception {
        Safe safe = freshSafe();
        handler.open(safe);
        byte[] bytes = request.replace("{HOST}", "localhost:" + tcp.port()).getBytes(StandardCharsets.ISO_8859_1);
        String answers = viaSocket ? viaSocket(bytes) : viaTcp(bytes);
        List<Integer> statuses = new ArrayList<>();
        Matcher m = STATUS.matcher(answers);
        while (m.find()) {
            statuses.add(Integer.parseInt(m.group(1)));
        }
        return new Effect(statuses, Token.MAX_ATTEMPTS - safe.status().attemptsLeft);
    }

    /** Sends the bytes, then half-closes: the server sees where they end, answers, and closes. */
    private static String viaTcp(byte[] bytes) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), tcp.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(bytes);
            socket.shutdownOutput();
            return readAll(socket.getInputStream());
        }
    }

    private static String viaSocket(byte[] bytes) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(unix.socket()));
            channel.write(ByteBuffer.wrap(bytes));
            channel.shutdownOutput();
            return readAll(Channels.newInputStream(channel));
        }
    }

    /** Everything the server sends until it closes. */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // what came before the reset stands
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static Safe freshSafe() {
        char[] words = Passphrase.generate(new java.security.SecureRandom());
        byte[] salt = Envelope.newSalt();
        byte[] key = Kdf.derive(words, salt, Fixture.CHEAP);
        Envelope envelope = Envelope.seal(Names.DEFAULT, "framing-secret".getBytes(StandardCharsets.UTF_8), key, salt, Fixture.CHEAP);
        return new Safe(Token.parse(TOKEN), new Safe.Limits(Duration.ofMinutes(1), 0, null), KeyCheck.of(key), envelope);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void bothFrontEnds_sameBytes_sameStatusesAndSameAttemptsSpent(String name, String request) throws Exception {
        Effect viaTcp = send(request, false);
        Effect viaSocket = send(request, true);
        assertEquals(viaTcp, viaSocket, name);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> corpus() {
        List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
        String[] lengths = {"0", "00", "01024", "+50", "-5", " 5", "5 ", "1e3", "0x10", "99999999999999999999", "", "5, 5", "1025", "1024"};
        String[] tokens = {TOKEN, WRONG, "936 265", "93626", "abcdef", ""};
        String[][] bases = {
            {"status", "GET /v1/status HTTP/1.1\r\nHost: {HOST}\r\n"},
            {"secret", "POST /v1/secret HTTP/1.1\r\nHost: {HOST}\r\nPasssafe-Token: " + TOKEN + "\r\n"},
            {"wrong", "POST /v1/secret HTTP/1.1\r\nHost: {HOST}\r\nPasssafe-Token: " + WRONG + "\r\n"},
            {"stop-wrong", "POST /v1/stop HTTP/1.1\r\nHost: {HOST}\r\nPasssafe-Token: " + WRONG + "\r\n"},
        };
        String smuggled = "POST /v1/secret HTTP/1.1\r\nHost: {HOST}\r\nPasssafe-Token: " + WRONG + "\r\nContent-Length: 0\r\n\r\n";
        for (String[] base : bases) {
            cases.add(args(base[0] + " plain", base[1] + "\r\n"));
            cases.add(args(base[0] + " twice, pipelined", base[1] + "\r\n" + base[1] + "\r\n"));
            for (String length : lengths) {
                cases.add(args(base[0] + " Content-Length [" + length + "]", base[1] + "Content-Length: " + length + "\r\n\r\n"));
                cases.add(args(base[0] + " Content-Length [" + length + "] with a smuggled request as its body",
                        base[1] + "Content-Length: " + length + "\r\n\r\n" + smuggled));
            }
            cases.add(args(base[0] + " two equal lengths", base[1] + "Content-Length: 0\r\nContent-Length: 0\r\n\r\n"));
            cases.add(args(base[0] + " two lengths", base[1] + "Content-Length: 0\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled));
            cases.add(args(base[0] + " length and chunked", base[1] + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled));
            cases.add(args(base[0] + " chunked", base[1] + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled));
            cases.add(args(base[0] + " body of 5", base[1] + "Content-Length: 5\r\n\r\nhello"));
            cases.add(args(base[0] + " body of 1024", base[1] + "Content-Length: 1024\r\n\r\n" + "x".repeat(1024)));
            cases.add(args(base[0] + " body of 1025", base[1] + "Content-Length: 1025\r\n\r\n" + "x".repeat(1025)));
            cases.add(args(base[0] + " Origin", base[1] + "Origin: http://evil.test\r\n\r\n"));
            cases.add(args(base[0] + " space before a colon", base[1] + "X-Thing : y\r\n\r\n"));
            cases.add(args(base[0] + " LF line ends", base[1].replace("\r\n", "\n") + "\n"));
            cases.add(args(base[0] + " 32 more headers", base[1] + "A: b\r\n".repeat(32) + "\r\n"));
            cases.add(args(base[0] + " 1500 repeated headers", base[1] + "A:\r\n".repeat(1500) + "\r\n"));
            cases.add(args(base[0] + " a 9000-byte header", base[1] + "A: " + "b".repeat(9000) + "\r\n\r\n"));
            cases.add(args(base[0] + " a folded header", base[1] + "A: b\r\n c\r\n\r\n"));
            cases.add(args(base[0] + " connection close", base[1] + "Connection: close\r\n\r\n" + smuggled));
        }
        for (String token : tokens) {
            String secret = "POST /v1/secret HTTP/1.1\r\nHost: {HOST}\r\n";
            cases.add(args("token [" + token + "]", secret + "Passsafe-Token: " + token + "\r\n\r\n"));
            cases.add(args("token [" + token + "] and another", secret + "Passsafe-Token: " + token + "\r\nPasssafe-Token: " + WRONG + "\r\n\r\n"));
            cases.add(args("token [" + token + "] lowercase and capitals", secret + "passsafe-token: " + token + "\r\nPASSSAFE-TOKEN: " + WRONG + "\r\n\r\n"));
            cases.add(args("token [" + token + "] space before the colon", secret + "Passsafe-Token : " + token + "\r\n\r\n"));
        }
        String[] hosts = {"Host: {HOST}", "host: {HOST}", "HOST: {HOST}", "Host:{HOST}", "Host:   {HOST}   ", "Host : {HOST}", "Host: evil.test",
            "Host: {HOST}\r\nHost: {HOST}", "Host: {HOST}\r\nhost: evil.test", "Host: 0.0.0.0", "Host:", "X: y"};
        for (String host : hosts) {
            cases.add(args("host [" + host + "]", "GET /v1/status HTTP/1.1\r\n" + host + "\r\n\r\n"));
            cases.add(args("host [" + host + "] wrong token", "POST /v1/secret HTTP/1.1\r\n" + host + "\r\nPasssafe-Token: " + WRONG + "\r\n\r\n"));
        }
        String[] lines = {"GET /v1/status", "GET  /v1/status HTTP/1.1", "get /v1/status HTTP/1.1", "GET /v1/status?x HTTP/1.1",
            "GET http://{HOST}/v1/status HTTP/1.1", "GET /v1/status HTTP/1.0", "GET /v1/status HTTP/2.0", "GET /v1/status  HTTP/1.1",
            "OPTIONS /v1/secret HTTP/1.1", "HEAD /v1/status HTTP/1.1", "DELETE /v1/status HTTP/1.1", "GET /v1/secret HTTP/1.1",
            "POST /v1/secret/api HTTP/1.1", "POST /v1/secret/Bad HTTP/1.1", "POST /v1/secret/ HTTP/1.1", "GET /v1/../v1/status HTTP/1.1",
            "GET /%76%31/status HTTP/1.1", "GET / HTTP/1.1", "GET * HTTP/1.1", "\u0000GET /v1/status HTTP/1.1"};
        for (String line : lines) {
            cases.add(args("line [" + line + "]", line + "\r\nHost: {HOST}\r\nPasssafe-Token: " + WRONG + "\r\n\r\n"));
        }
        cases.add(args("nothing at all", ""));
        cases.add(args("only a newline", "\r\n"));
        cases.add(args("half a request line", "GET /v1/sta"));
        cases.add(args("a head with no end", "GET /v1/status HTTP/1.1\r\nHost: {HOST}\r\n"));
        cases.add(args("three wrong tokens pipelined", ("POST /v1/secret HTTP/1.1\r\nHost: {HOST}\r\nPasssafe-Token: " + WRONG + "\r\n\r\n").repeat(3)));
        cases.add(args("a wrong token, then the right one", "POST /v1/secret HTTP/1.1\r\nHost: {HOST}\r\nPasssafe-Token: " + WRONG + "\r\n\r\n"
                + "POST /v1/secret HTTP/1.1\r\nHost: {HOST}\r\nPasssafe-Token: " + TOKEN + "\r\n\r\n"));
        return cases.stream();
    }

    private static org.junit.jupiter.params.provider.Arguments args(String name, String request) {
        return org.junit.jupiter.params.provider.Arguments.of(name, request);
    }
}
