package passsafe;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JDK's {@code HttpServer} as a front end for a {@link Handler}, on the loopback address only.
 * The port is bound by {@link #listen} before anything is asked, so a busy port fails fast and
 * nothing typed is wasted.
 */
final class TcpServer implements AutoCloseable {
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

    /** The JDK server's own log would print on the owner's terminal whatever a stranger sends; kept referenced, kept off. */
    private static final Logger JDK_LOG = Logger.getLogger("com.sun.net.httpserver");

    static {
        JDK_LOG.setLevel(Level.OFF);
    }

    private static final int BIND_ATTEMPTS = 5;

    private final HttpServer v4;
    /** The same port on [::1], held for the safe's whole life so no one else can take it; null without IPv6. */
    private final HttpServer v6;
    private final ExecutorService executor;
    private final TcpPeers peers;

    private TcpServer(HttpServer v4, HttpServer v6, int ownUid) {
        this.v4 = v4;
        this.v6 = v6;
        this.peers = new TcpPeers(ownUid);
        this.executor = Executors.newFixedThreadPool(THREADS, Threads.daemon("http"));
    }

    /**
     * Binds {@code 127.0.0.1:port} and {@code [::1]:port} (where there is IPv6); throws
     * {@link BindException} if either is taken. Port 0 picks one free on both.
     */
    static TcpServer bind(int port, int ownUid) throws IOException {
        for (int attempt = 1; ; attempt++) {
            HttpServer v4 = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 16);
            if (!Ipv6.LOOPBACK) {
                return new TcpServer(v4, null, ownUid);
            }
            try {
                return new TcpServer(v4, HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), v4.getAddress().getPort()), 16), ownUid);
            } catch (IOException e) {
                release(v4);
                if (port != 0 || attempt == BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Whether this host has an IPv6 loopback address to hold: asked once. */
    private static final class Ipv6 {
        static final boolean LOOPBACK = probe();

        private static boolean probe() {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
                return probe.isBound();
            } catch (IOException noIpv6) {
                return false;
            }
        }
    }

    /**
     * Binds, and refuses a port another user listens on too: on an address such as {@code 0.0.0.0}
     * such a program would still catch the clients that try it.
     */
    static TcpServer listen(int port, int ownUid) throws CannotServe {
        TcpServer server;
        try {
            server = bind(port, ownUid);
        } catch (BindException e) {
            throw portTaken(port, ProcNet.otherListener(port, ownUid));
        } catch (IOException e) {
            throw new CannotServe("cannot listen on port " + port + ": " + e.getMessage(), "choose another port with --port N");
        }
        OptionalInt squatter = ProcNet.otherListener(server.port(), ownUid);
        if (squatter.isPresent()) {
            server.close();
            throw portTaken(port, squatter);
        }
        return server;
    }

    private static CannotServe portTaken(int port, OptionalInt otherUid) {
        if (otherUid.isPresent()) {
            return new CannotServe("port " + port + " is already in use by another user (uid " + otherUid.getAsInt() + ")",
                    "that program may be waiting to catch your token; choose another port with --port N and tell the host's administrator");
        }
        return new CannotServe("port " + port + " is already in use",
                "stop the other safe, or choose another port with --port N (clients then add the URL http://localhost:N)");
    }

    int port() {
        return v4.getAddress().getPort();
    }

    /**
     * Starts answering through {@code handler}, before the safe exists, so that starting threads
     * and loading classes happen while the user types.
     */
    void start(Handler handler) {
        for (HttpServer http : servers()) {
            http.createContext("/", exchange -> serve(handler, exchange));
            http.setExecutor(executor);
            http.start();
        }
    }

    /** Stops accepting, lets the answers under way (a stop's, say) finish for up to a second, and closes. */
    void finish() {
        for (HttpServer http : servers()) {
            http.stop(1);
        }
        executor.shutdownNow();
    }

    @Override
    public void close() {
        for (HttpServer http : servers()) {
            release(http);
        }
        executor.shutdownNow();
    }

    /**
     * Stops a server whether or not it was started. The JDK's server registers its socket with a
     * selector that only its started dispatcher runs, so stopping one never started would keep
     * the port bound: it is started first.
     */
    private static void release(HttpServer http) {
        try {
            http.start();
        } catch (IllegalStateException alreadyStarted) {
            // stopping it is enough
        }
        http.stop(0);
    }

    private List<HttpServer> servers() {
        return v6 == null ? List.of(v4) : List.of(v4, v6);
    }

    private void serve(Handler handler, HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getProtocol().equals("HTTP/1.1") && !exchange.getProtocol().equals("HTTP/1.0")) {
                // The socket front end reads only HTTP/1.x: so does this one, whatever the JDK's server lets through.
                send(exchange, handler.malformed(Protocol.BAD_REQUEST));
                return;
            }
            URI uri = exchange.getRequestURI();
            // An absolute URI (http://host/path) or "*" reaches the handler as it was sent, which is no path of ours.
            String path = uri.getRawAuthority() != null || uri.getRawPath() == null ? uri.toString() : uri.getRawPath();
            Request request = new Request(exchange.getRequestMethod(), path, uri.getRawQuery(), exchange.getRequestHeaders(),
                    peers.peer(exchange.getLocalAddress(), exchange.getRemoteAddress()));
            send(exchange, handler.handle(request));
        } catch (RuntimeException bug) {
            send(exchange, Reply.text(Protocol.INTERNAL_ERROR, "internal error: the server could not answer this request"));
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
