package passsafe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's side of HTTP/1.1 on a plain stream, for the Unix-domain socket, where the JDK's
 * {@code HttpServer} cannot listen: reads one request's head within the same limits the TCP
 * front end sets, and writes one {@link Reply}. Just what the protocol needs; the {@link Handler}
 * does the rest, exactly as for TCP.
 */
final class HttpStream {
    private static final int MAX_HEADERS = 32;

    private HttpStream() {}

    /** A request that cannot be answered on its own terms: the status to answer and close with. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        Malformed(int status) {
            super(null, null);
            this.status = status;
        }
    }

    /**
     * The next request on the connection, with a declared body of up to {@link Handler#MAX_BODY_BYTES}
     * read and dropped; null when the peer closed the connection between requests.
     */
    static Request read(InputStream in, Request.Peer peer) throws IOException {
        String requestLine = line(in, Handler.MAX_HEADER_BYTES, true);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || !parts[1].startsWith("/")) {
            throw new Malformed(Protocol.BAD_REQUEST);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int bytes = 0;
        for (String line = line(in, Handler.MAX_HEADER_BYTES, false); !line.isEmpty(); line = line(in, Handler.MAX_HEADER_BYTES, false)) {
            bytes += line.length() + 2;
            int colon = line.indexOf(':');
            if (bytes > Handler.MAX_HEADER_BYTES || headers.size() >= MAX_HEADERS) {
                throw new Malformed(Protocol.HEADERS_TOO_LARGE);
            }
            if (colon <= 0) {
                throw new Malformed(Protocol.BAD_REQUEST);
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        int query = parts[1].indexOf('?');
        Request request = new Request(parts[0], query < 0 ? parts[1] : parts[1].substring(0, query),
                query < 0 ? null : parts[1].substring(query + 1), headers, peer, true);
        drainSmallBody(in, request);
        return request;
    }

    /** Reads a body the handler will accept (at most a kilobyte), so the next request starts where it should. */
    private static void drainSmallBody(InputStream in, Request request) throws IOException {
        String length = request.single("Content-Length");
        if (length == null || !length.trim().matches("[0-9]{1,4}")) {
            return;
        }
        long bytes = Long.parseLong(length.trim());
        if (bytes <= Handler.MAX_BODY_BYTES && request.header("Transfer-Encoding").isEmpty() && in.readNBytes((int) bytes).length < bytes) {
            throw new IOException("the connection closed in the middle of a body");
        }
    }

    /**
     * One line of the request's head through the shared reader: null at the end of input before a
     * request's first byte; a line too long is malformed (a request line's 400, a header's 431).
     */
    private static String line(InputStream in, int max, boolean first) throws IOException {
        String line;
        try {
            line = HttpLines.read(in, max);
        } catch (HttpLines.TooLong tooLong) {
            throw new Malformed(first ? Protocol.BAD_REQUEST : Protocol.HEADERS_TOO_LARGE);
        }
        if (line == null && !first) {
            throw new EOFException("the connection closed in the middle of a request");
        }
        return line;
    }

    /** Writes {@code reply} and wipes its body; {@code close} adds {@code Connection: close}. */
    static void write(OutputStream out, Reply reply, boolean close) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status).append(' ').append(Protocol.reason(reply.status)).append("\r\n")
                .append("Content-Type: ").append(reply.type).append("\r\n")
                .append("Content-Length: ").append(reply.body.length).append("\r\n")
                .append("Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n");
        if (close) {
            head.append("Connection: close\r\n");
        }
        for (Map.Entry<String, String> header : reply.headers.entrySet()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        // One write, one system call: head and body together.
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + reply.body.length);
        System.arraycopy(reply.body, 0, all, headBytes.length, reply.body.length);
        try {
            out.write(all);
            out.flush();
        } finally {
            Arrays.fill(reply.body, (byte) 0);
            Arrays.fill(all, (byte) 0);
        }
    }
}
