package passsafe;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code HttpServer} as a front end for a {@link Handler}, on the loopback address only.
 * The port is bound by {@link #listen} before anything is asked, so a busy port fails fast and
 * nothing typed is wasted.
 */
final class Server implements AutoCloseable {
    private static final int THREADS = 4;

    static {
        limitJdkServer();
    }

    /**
     * The JDK server reads these once, when its first instance in the process is made, and its
     * defaults let a stalled client hold a thread forever. Limits in seconds.
     */
    static void limitJdkServer() {
        System.setProperty("sun.net.httpserver.maxReqTime", "3");
        System.setProperty("sun.net.httpserver.maxRspTime", "3");
        System.setProperty("sun.net.httpserver.idleInterval", "30");
        System.setProperty("sun.net.httpserver.drainAmount", Integer.toString(Handler.MAX_BODY_BYTES));
        System.setProperty("sun.net.httpserver.maxReqHeaders", "32");
        System.setProperty("sun.net.httpserver.maxReqHeaderSize", Integer.toString(Handler.MAX_HEADER_BYTES));
        System.setProperty("jdk.httpserver.maxConnections", "64");
        // Without it, JDK 17 delays every answer on a kept-alive connection by about 40 ms (Nagle).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer http;
    private final ExecutorService executor;
    private final TcpPeers peers;

    private Server(HttpServer http, int ownUid) {
        this.http = http;
        this.peers = new TcpPeers(ownUid);
        this.executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "passsafe-http");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Binds the loopback address; throws {@link BindException} if the port is taken. Port 0 picks a free one. */
    static Server bind(int port, int ownUid) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        return new Server(HttpServer.create(address, 16), ownUid);
    }

    /**
     * Binds, and refuses a port another user listens on too: on {@code [::1]} or {@code 0.0.0.0}
     * such a program would still catch the clients that try those addresses first.
     */
    static Server listen(int port, int ownUid) throws Failure {
        Server server;
        try {
            server = bind(port, ownUid);
        } catch (BindException e) {
            throw Messages.portTaken(port, ProcNet.otherListener(port, ownUid));
        } catch (IOException e) {
            throw Messages.cannotListen(port, e);
        }
        OptionalInt squatter = ProcNet.otherListener(server.port(), ownUid);
        if (squatter.isPresent()) {
            server.close();
            throw Messages.portTaken(port, squatter);
        }
        return server;
    }

    int port() {
        return http.getAddress().getPort();
    }

    /**
     * Starts answering through {@code handler}, before the safe exists, so that starting threads
     * and loading classes happen while the user types.
     */
    void start(Handler handler) {
        http.createContext("/", exchange -> serve(handler, exchange));
        http.setExecutor(executor);
        http.start();
    }

    /** Stops accepting, lets the answers under way (a stop's, say) finish for up to a second, and closes. */
    void finish() {
        http.stop(1);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    private void serve(Handler handler, HttpExchange exchange) throws IOException {
        try {
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), exchange.getRequestHeaders(),
                    peers.peer(exchange.getLocalAddress(), exchange.getRemoteAddress()));
            send(exchange, handler.handle(request));
        } catch (RuntimeException bug) {
            send(exchange, Reply.text(Protocol.INTERNAL_ERROR, Messages.INTERNAL_ERROR));
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        try {
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", reply.type);
            headers.set("Cache-Control", "no-store");
            headers.set("X-Content-Type-Options", "nosniff");
            if (reply.close) {
                headers.set("Connection", "close");
            }
            for (Map.Entry<String, String> header : reply.headers.entrySet()) {
                headers.set(header.getKey(), header.getValue());
            }
            exchange.sendResponseHeaders(reply.status, reply.body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body);
            }
        } finally {
            Arrays.fill(reply.body, (byte) 0);
        }
    }
}
