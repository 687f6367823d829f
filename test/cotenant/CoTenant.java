import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Another user of the host, as CoTenantTest plays it through setpriv: crowds a passsafe server's
 * TCP port or inflates the host's connection table. Loopback only, bounded in count and time: it
 * ends by itself after its last argument, in seconds. Prints "ready" once the attack is in place.
 *
 * <pre>
 * java CoTenant.java idle PORT COUNT SECONDS      COUNT connections that send nothing, reopened as soon as closed
 * java CoTenant.java trickle PORT COUNT SECONDS   COUNT connections sending a request a byte a second
 * java CoTenant.java timewait ROWS SECONDS        connect and close until /proc/net/tcp[6] hold ROWS rows
 * </pre>
 */
public class CoTenant {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[args.length - 1]));
        switch (args[0]) {
            case "idle" -> crowd(Integer.parseInt(args[1]), Integer.parseInt(args[2]), until, false);
            case "trickle" -> crowd(Integer.parseInt(args[1]), Integer.parseInt(args[2]), until, true);
            case "timewait" -> timeWait(Integer.parseInt(args[1]), until);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    /** COUNT threads, each keeping one connection open and opening another the moment it closes. */
    private static void crowd(int port, int count, long until, boolean trickle) throws Exception {
        CountDownLatch opened = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                boolean first = true;
                while (System.nanoTime() < until) {
                    try (Socket socket = new Socket(LOOPBACK, port)) {
                        if (first) {
                            opened.countDown();
                            first = false;
                        }
                        if (trickle) {
                            trickle(socket, port, until);
                        } else {
                            socket.getInputStream().read(); // until the server closes it
                        }
                    } catch (IOException closed) {
                        pause(10);
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        opened.await(30, TimeUnit.SECONDS);
        System.out.println("ready");
        sleepUntil(until);
    }

    private static void trickle(Socket socket, int port, long until) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/secret HTTP/1.1\r\nHost: localhost:" + port + "\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
        while (System.nanoTime() < until) {
            out.write('a');
            out.flush();
            pause(1000);
        }
    }

    /**
     * Connects and closes first, so each connection leaves a TIME_WAIT row for a minute, until the
     * tables hold ROWS rows. Eight listeners of its own, since a source port can serve each
     * destination once.
     */
    private static void timeWait(int rows, long until) throws Exception {
        ServerSocket[] listeners = new ServerSocket[8];
        for (int i = 0; i < listeners.length; i++) {
            ServerSocket listener = new ServerSocket(0, 4096, LOOPBACK);
            listeners[i] = listener;
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try (Socket accepted = listener.accept()) {
                        accepted.getInputStream().read(); // the client closes first
                    } catch (IOException stop) {
                        if (listener.isClosed()) {
                            return;
                        }
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }
        // Source addresses and ports chosen here, not by the kernel, whose search for a free port
        // slows down as the table grows: 127.0.0.2 and up, ports 20000 to 59999.
        long made = 0;
        outer:
        for (int host = 2; host < 10; host++) {
            InetAddress source = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host});
            for (int port = 20000; port < 60000 && System.nanoTime() < until; port++, made++) {
                try (Socket socket = new Socket()) {
                    socket.setReuseAddress(true);
                    socket.bind(new java.net.InetSocketAddress(source, port));
                    socket.connect(listeners[(int) (made % listeners.length)].getLocalSocketAddress());
                } catch (IOException taken) {
                    // that source port is busy: the next one
                }
                if (made % 5000 == 0 && tableRows() >= rows) {
                    System.out.println("ready " + tableRows());
                    break outer;
                }
            }
        }
        sleepUntil(until);
    }

    private static long tableRows() throws IOException {
        long rows = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try (var lines = Files.lines(Path.of(table))) {
                rows += lines.count() - 1;
            }
        }
        return rows;
    }

    private static void sleepUntil(long until) {
        while (System.nanoTime() < until) {
            pause(Math.max(1, Math.min(1000, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
