package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slow and stuck clients against the real jar: the owner's client still gets through. */
class SlowTrafficTest {
    private static final String SECRET = "slow-traffic-secret";

    private static Socket open(int port, String start) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void twentySlowHeadersAndTwentySlowBodies_ownerStillServed() throws Exception {
        try (JarServer server = JarServer.start(SECRET)) {
            int port = server.port;
            List<Socket> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    attackers.add(open(port, "POST /v1/secret HTTP/1.1\r\nHost: local"));
                    // No token: a wrong one would rightly count, and three would lock the safe.
                    attackers.add(open(port, "POST /v1/secret HTTP/1.1\r\nHost: localhost:" + port
                            + "\r\nContent-Length: 100\r\n\r\nx"));
                }
                // The attackers keep trickling a byte each while the owner asks.
                Thread trickle = new Thread(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (Socket socket : attackers) {
                            try {
                                OutputStream out = socket.getOutputStream();
                                out.write('x');
                                out.flush();
                            } catch (IOException closedByServer) {
                                // the server's time limit cut it off, as it should
                            }
                        }
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                trickle.setDaemon(true);
                trickle.start();
                long start = System.nanoTime();
                if (UnixSockets.available()) {
                    // The private socket: none of the slow connections is in its way.
                    assertEquals(SECRET, server.client().password());
                    System.out.printf("owner served through the socket after %d ms under 40 slow TCP connections%n",
                            (System.nanoTime() - start) / 1_000_000);
                }
                Client owner = server.client().tcpOnly();
                String secret;
                start = System.nanoTime();
                try {
                    secret = owner.password();
                } catch (PasssafeException.Timeout | PasssafeException.NoServer first) {
                    // Through TCP, the server's 3 s limit may cut the owner's queued request too: one retry.
                    secret = owner.password();
                }
                System.out.printf("owner served through TCP after %d ms under 40 slow connections%n", (System.nanoTime() - start) / 1_000_000);
                assertEquals(SECRET, secret);
                trickle.interrupt();
            } finally {
                for (Socket socket : attackers) {
                    socket.close();
                }
            }
        }
    }
}
