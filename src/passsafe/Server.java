package passsafe;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The HTTP face of a {@link Safe}, on the loopback address only. The port is bound by
 * {@link #bind} before anything is asked, so a busy port fails fast and nothing typed is wasted.
 */
final class Server implements AutoCloseable {
    /** Request bodies are not part of the protocol; a larger one is refused unread. */
    static final int MAX_BODY_BYTES = 1024;
    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final int REFUSED = 403;
    static final int HEADERS_TOO_LARGE = 431;
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
        System.setProperty("sun.net.httpserver.drainAmount", Integer.toString(MAX_BODY_BYTES));
        System.setProperty("sun.net.httpserver.maxReqHeaders", "32");
        System.setProperty("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_HEADER_BYTES));
        System.setProperty("jdk.httpserver.maxConnections", "64");
        // Without it, JDK 17 delays every answer on a kept-alive connection by about 40 ms (Nagle).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer http;
    private final ExecutorService executor;
    private volatile Safe safe;
    private Gate gate;
    private String stopper;
    /** Who gets past the gate, for the access lines: a user name, or "a client". */
    private String who;
    private Consumer<String> log;

    private Server(HttpServer http) {
        this.http = http;
        this.executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "passsafe-http");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Binds the loopback address; throws {@link java.net.BindException} if the port is taken. */
    static Server bind(int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        return new Server(HttpServer.create(address, 16));
    }

    int port() {
        return http.getAddress().getPort();
    }

    /**
     * Starts answering, before the safe exists, so that starting threads and loading classes
     * happen while the user types; until {@link #open} every request that passes the gate gets
     * 503. {@code log} gets one line per request, never a secret.
     */
    void start(Gate gate, Consumer<String> log) {
        this.gate = gate;
        this.log = log;
        this.stopper = "by " + gate.admitted();
        this.who = gate.checksUsers() ? System.getProperty("user.name") : "a client";
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
    }

    /** Serves {@code safe} from now on. */
    void open(Safe safe) {
        this.safe = safe;
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

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Reply reply = answer(exchange);
            log.accept(reply.logLine);
            send(exchange, reply);
        } finally {
            exchange.close();
        }
    }

    /** Every check that needs no body and no token comes first, so none of them costs an attempt. */
    private Reply answer(HttpExchange exchange) {
        Headers headers = exchange.getRequestHeaders();
        if (exchange.getRequestMethod().equals("OPTIONS")) {
            return Reply.text(Protocol.WRONG_METHOD, "wrong method: use POST");
        }
        if (headerBytes(headers) > MAX_HEADER_BYTES) {
            return Reply.text(HEADERS_TOO_LARGE, "too large: the request headers exceed " + MAX_HEADER_BYTES + " bytes");
        }
        String refusal = gate.refusal(headers, exchange.getLocalAddress(), exchange.getRemoteAddress());
        if (refusal != null) {
            return Reply.text(REFUSED, Gate.REFUSED, -1, refusal);
        }
        Safe safe = this.safe;
        if (safe == null) {
            return Reply.text(Protocol.NOT_READY, "not ready: the safe is still asking for its duration and password");
        }
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (exchange.getRequestURI().getRawQuery() != null) {
            return Reply.text(Protocol.BAD_REQUEST, "bad request: no query string is accepted");
        }
        if (path.equals(Protocol.STATUS_PATH)) {
            return method.equals("GET") ? Reply.status(safe.status()) : Reply.text(Protocol.WRONG_METHOD, "wrong method: use GET");
        }
        String name = path.equals(Protocol.STOP_PATH) ? null : secretName(path);
        if (name == null && !path.equals(Protocol.STOP_PATH)) {
            return Reply.text(Protocol.NOT_FOUND, "not found: the paths are " + Protocol.SECRET_PATH + ", "
                    + Protocol.STATUS_PATH + " and " + Protocol.STOP_PATH);
        }
        if (!method.equals("POST")) {
            return Reply.text(Protocol.WRONG_METHOD, "wrong method: use POST");
        }
        if (headers.containsKey("Transfer-Encoding") || bodyLength(headers) > MAX_BODY_BYTES) {
            return Reply.tooLarge();
        }
        List<String> tokens = headers.get(Protocol.TOKEN_HEADER);
        byte[] token = tokens == null || tokens.size() != 1 ? null : Token.parse(tokens.get(0));
        if (token == null) {
            return Reply.text(Protocol.BAD_REQUEST, "bad request: send the 6-digit token in one " + Protocol.TOKEN_HEADER + " header");
        }
        try {
            return name == null ? Reply.of(safe.stop(token), stopper, who) : Reply.of(safe.retrieve(token, name), name, who);
        } finally {
            Arrays.fill(token, (byte) 0);
        }
    }

    private static int headerBytes(Headers headers) {
        int bytes = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                bytes += header.getKey().length() + value.length() + 4;
            }
        }
        return bytes;
    }

    /** The declared body length; the JDK has already refused a malformed one with 400. */
    private static long bodyLength(Headers headers) {
        String length = headers.getFirst("Content-Length");
        try {
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The secret's name from the path, or null when the path is not a secret's. */
    private static String secretName(String path) {
        if (path.equals(Protocol.SECRET_PATH)) {
            return Names.DEFAULT;
        }
        String prefix = Protocol.SECRET_PATH + "/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String name = path.substring(prefix.length());
        return Names.valid(name) ? name : null;
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", reply.type);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        if (reply.status == REFUSED || reply.status == Protocol.TOO_LARGE || reply.status == HEADERS_TOO_LARGE) {
            // Keep no connection a stranger opened, nor one whose unread body is still coming.
            headers.set("Connection", "close");
        }
        if (reply.attemptsLeft >= 0) {
            headers.set(Protocol.ATTEMPTS_HEADER, Integer.toString(reply.attemptsLeft));
        }
        exchange.sendResponseHeaders(reply.status, reply.body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body);
        } finally {
            Arrays.fill(reply.body, (byte) 0);
        }
    }

    /** A status, a body, and the terminal line that records it. */
    private static final class Reply {
        final int status;
        final String type;
        final byte[] body;
        final int attemptsLeft;
        final String logLine;

        private Reply(int status, String type, byte[] body, int attemptsLeft, String logLine) {
            this.status = status;
            this.type = type;
            this.body = body;
            this.attemptsLeft = attemptsLeft;
            this.logLine = logLine;
        }

        static Reply status(String text) {
            return new Reply(Protocol.OK, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.US_ASCII), -1, "status shown");
        }

        static Reply tooLarge() {
            return text(Protocol.TOO_LARGE, "too large: the request must have no body (at most " + MAX_BODY_BYTES + " bytes are ignored)");
        }

        static Reply text(int status, String line) {
            return text(status, line, -1, line);
        }

        static Reply text(int status, String line, int attemptsLeft, String logLine) {
            byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
            return new Reply(status, "text/plain; charset=utf-8", body, attemptsLeft, logLine);
        }

        static Reply of(Safe.Answer answer, String name, String who) {
            int left = answer.attemptsLeft;
            switch (answer.outcome) {
                case RETRIEVED:
                    return new Reply(Protocol.OK, Protocol.ENVELOPE_TYPE, answer.envelope, left,
                            who + ": retrieved " + name + " (" + (answer.usesLeft >= 0 ? uses(answer.usesLeft) + ", " : "") + attempts(left) + ")"
                            + (answer.state == Safe.State.USED_UP ? "; the safe's uses are used up" : ""));
                case STOPPED:
                    return text(Protocol.OK, "stopped: the safe is wiped and its server ends", left, "stopped " + name);
                case INVALID_TOKEN:
                    return text(Protocol.INVALID_TOKEN, "invalid token: " + attempts(left), left,
                            who + ": invalid token (" + attempts(left) + ")");
                case LOCKED_NOW:
                    return text(Protocol.LOCKED, "locked: three invalid tokens were tried; start a new safe", 0,
                            who + ": invalid token (0 attempts left): the safe is now locked and its secrets wiped");
                case NO_SUCH_SECRET:
                    return text(Protocol.NOT_FOUND, "not found: this safe holds no secret named " + name
                            + "; it holds " + String.join(", ", answer.names), -1, who + ": asked for " + name + ", which this safe does not hold");
                default:
                    return refusal(answer.state);
            }
        }

        static String uses(int left) {
            return left + (left == 1 ? " use left" : " uses left");
        }

        static String attempts(int left) {
            return left + (left == 1 ? " attempt left" : " attempts left");
        }

        private static Reply refusal(Safe.State state) {
            if (state == Safe.State.LOCKED) {
                return text(Protocol.LOCKED, "locked: three invalid tokens were tried; start a new safe", 0,
                        "refused: the safe is locked");
            }
            return text(Protocol.CLOSED, "closed: " + state.reason, -1, "refused: " + state.reason);
        }
    }
}
