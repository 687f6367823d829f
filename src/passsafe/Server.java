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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The HTTP face of a {@link Safe}, on the loopback address only. The port is bound by
 * {@link #bind} before anything is asked, so a busy port fails fast and nothing typed is wasted.
 */
final class Server implements AutoCloseable {
    private static final int THREADS = 2;

    private final HttpServer http;
    private final ExecutorService executor;
    private Safe safe;
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

    /** Starts answering for {@code safe}; {@code log} gets one line per request, never a secret. */
    void serve(Safe safe, Consumer<String> log) {
        this.safe = safe;
        this.log = log;
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
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

    private Reply answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String name = secretName(path);
        if (name == null) {
            return Reply.text(Protocol.NOT_FOUND, "not found: the only path is " + Protocol.SECRET_PATH);
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            return Reply.text(Protocol.WRONG_METHOD, "wrong method: use POST");
        }
        if (exchange.getRequestURI().getRawQuery() != null) {
            return Reply.text(Protocol.BAD_REQUEST, "bad request: no query string is accepted");
        }
        if (exchange.getRequestBody().read() != -1) {
            return Reply.text(Protocol.TOO_LARGE, "too large: the request must have no body");
        }
        List<String> tokens = exchange.getRequestHeaders().get(Protocol.TOKEN_HEADER);
        byte[] token = tokens == null || tokens.size() != 1 ? null : Token.parse(tokens.get(0));
        if (token == null) {
            return Reply.text(Protocol.BAD_REQUEST, "bad request: send the 6-digit token in one " + Protocol.TOKEN_HEADER + " header");
        }
        Safe.Answer answer = safe.retrieve(token, name);
        Arrays.fill(token, (byte) 0);
        return Reply.of(answer, name);
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

        static Reply text(int status, String line) {
            return text(status, line, -1, line);
        }

        static Reply text(int status, String line, int attemptsLeft, String logLine) {
            byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
            return new Reply(status, "text/plain; charset=utf-8", body, attemptsLeft, logLine);
        }

        static Reply of(Safe.Answer answer, String name) {
            int left = answer.attemptsLeft;
            switch (answer.outcome) {
                case RETRIEVED:
                    return new Reply(Protocol.OK, Protocol.ENVELOPE_TYPE, answer.envelope, left,
                            "retrieved " + name + " (" + attempts(left) + ")");
                case INVALID_TOKEN:
                    return text(Protocol.INVALID_TOKEN, "invalid token: " + attempts(left), left,
                            "invalid token (" + attempts(left) + ")");
                case LOCKED_NOW:
                    return text(Protocol.LOCKED, "locked: three invalid tokens were tried; start a new safe", 0,
                            "invalid token (0 attempts left): the safe is now locked and its password wiped");
                case NO_SUCH_SECRET:
                    return text(Protocol.NOT_FOUND, "not found: this safe holds no secret named " + name);
                default:
                    return refusal(answer.state);
            }
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
