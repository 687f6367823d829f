package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's HTTP: kept-alive connections, the one retry, the canonical Host, against a scripted server. */
class TransportTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /** Answers each request on a connection with the next of {@code answers}, then closes that connection. */
    private interface Script {
        List<String> answers(int connection);
    }

    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<String> hosts = new CopyOnWriteArrayList<>();

    private Transport serve(Script script) throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (true) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException closed) {
                    return;
                }
                int n = connections.incrementAndGet();
                Thread one = new Thread(() -> answer(socket, script.answers(n)));
                one.setDaemon(true);
                one.start();
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        Transport transport = new Transport(LoopbackUrl.parse("http://LOCALHOST:" + server.getLocalPort()), Transport.DEFAULT_DEADLINE);
        transport.connector.socketAllowed = false;
        return transport;
    }

    private void answer(Socket socket, List<String> answers) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            for (String answer : answers) {
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                requestLines.add(line);
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    if (header.startsWith("Host: ")) {
                        hosts.add(header.substring(6));
                    }
                }
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException gone) {
            // the client hung up
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void send_twoCalls_shareOneKeptAliveConnection() throws Exception {
        Transport transport = serve(n -> List.of(OK, OK));
        assertEquals(200, transport.send("GET", "/v1/status", null).status);
        assertEquals(200, transport.send("POST", "/v1/secret", "936265").status);
        assertEquals(1, connections.get());
        assertEquals(List.of("GET /v1/status HTTP/1.1", "POST /v1/secret HTTP/1.1"), requestLines);
        transport.close();
    }

    @Test
    void send_anyUrlSpelling_sendsTheCanonicalHost() throws Exception {
        Transport transport = serve(n -> List.of(OK));
        transport.send("GET", "/v1/status", null);
        assertEquals(List.of("localhost:" + server.getLocalPort()), hosts);
        transport.close();
    }

    @Test
    void send_connectionClose_isNotKept() throws Exception {
        Transport transport = serve(n -> List.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
        transport.send("GET", "/v1/status", null);
        transport.send("GET", "/v1/status", null);
        assertEquals(2, connections.get());
        transport.close();
    }

    @Test
    void send_keptConnectionClosedWhileIdle_isTriedAfreshOnce() throws Exception {
        // Each connection answers once and closes without saying so, as a server closing idle connections does.
        Transport transport = serve(n -> List.of(OK));
        transport.send("GET", "/v1/status", null);
        assertEquals("ok", new String(transport.send("GET", "/v1/status", null).ok(), StandardCharsets.US_ASCII));
        assertEquals(2, connections.get());
        transport.close();
    }

    @Test
    void send_keptConnectionCutInTheMiddleOfAnAnswer_isNotTriedAgain() throws Exception {
        Transport transport = serve(n -> List.of(OK, "HTTP/1.1 200 OK\r\nContent-Le"));
        transport.send("GET", "/v1/status", null);
        PasssafeException e = assertThrows(PasssafeException.NoServer.class, () -> transport.send("POST", "/v1/secret", "936265"));
        assertTrue(e.getMessage().startsWith("no passsafe server answers at http://localhost:" + server.getLocalPort() + ":"), e.getMessage());
        assertEquals(1, connections.get(), "a request that may have been answered is never sent twice");
        transport.close();
    }

    @Test
    void send_nothingListens_isNoServer() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Transport transport = new Transport(LoopbackUrl.localhost(port), Transport.DEFAULT_DEADLINE);
        transport.connector.socketAllowed = false;
        PasssafeException e = assertThrows(PasssafeException.NoServer.class, () -> transport.send("GET", "/v1/status", null));
        assertEquals("no passsafe server answers at http://localhost:" + port + ": it may have expired or been stopped;"
                + " start a new safe and use the passphrase and token it prints", e.getMessage());
    }

    @Test
    void send_afterClose_throwsBeforeSendingAnything() throws Exception {
        Transport transport = serve(n -> List.of(OK));
        transport.close();
        assertEquals(Client.CLOSED, assertThrows(IllegalStateException.class, () -> transport.send("GET", "/v1/status", null)).getMessage());
        assertEquals(0, connections.get());
    }

    @Test
    void connector_ownTcpListener_isTrustedAndSaysItIsNotTheSocket() throws Exception {
        serve(n -> List.of(OK));
        Connector connector = new Connector(LoopbackUrl.localhost(server.getLocalPort()));
        connector.socketAllowed = false;
        Connector.Opened opened = connector.open(Duration.ofSeconds(10));
        assertFalse(opened.viaSocket);
        opened.stream.close();
    }

    @Test
    void connectorRefusal_ownersCheckedByUid_crowdingIsNotTheSquattingAlarm() {
        LoopbackUrl url = LoopbackUrl.localhost(8051);
        assertEquals(null, Connector.refusal(java.util.OptionalInt.of(1000), java.util.Set.of(), 1000, url));
        assertEquals("another user (uid 1001) is listening on the port of http://localhost:8051: it may be trying to catch your token,"
                + " so the token was not sent; check that your own safe runs there, and tell the host's administrator",
                Connector.refusal(java.util.OptionalInt.of(1001), java.util.Set.of(), 1000, url).getMessage());
        PasssafeException crowded = Connector.refusal(java.util.OptionalInt.empty(), java.util.Set.of(1000), 1000, url);
        assertTrue(crowded instanceof PasssafeException.NoServer);
        assertEquals("the passsafe server at http://localhost:8051 closed the connection at once: other connections may be crowding it;"
                + " try again, or use a client on JDK 16 or newer, which reaches the safe through its private socket", crowded.getMessage());
        for (java.util.Set<Integer> listeners : java.util.List.of(java.util.Set.of(1000, 1001), java.util.Set.of(1001))) {
            PasssafeException alarm = Connector.refusal(java.util.OptionalInt.empty(), listeners, 1000, url);
            assertTrue(alarm instanceof PasssafeException.UntrustedServer, listeners.toString());
            assertTrue(alarm.getMessage().startsWith("cannot tell which user is listening on the port of http://localhost:8051"), alarm.getMessage());
        }
        // No one listens any more: a safe that closed its port just after the connect; no record here for port 8051.
        assertTrue(Connector.refusal(java.util.OptionalInt.empty(), java.util.Set.of(), 1000, url) instanceof PasssafeException.NoServer);
    }
}
