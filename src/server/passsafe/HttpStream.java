package passsafe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Map;

/**
 * The server's side of HTTP/1.1 on a plain stream, for both front ends ({@link FrontEnd}): reads
 * one request's head within fixed limits, and writes one {@link Reply}. Just what the protocol
 * needs; the {@link Handler} does the rest.
 */
final class HttpStream {
    /** Header lines past which a request is dropped unanswered; the handler's own, lower limit ({@link Handler#MAX_HEADER_LINES}) answers 431. */
    private static final int MAX_HEADER_LINES = 200;
    /** An absolute URI as a request's target: the handler refuses it, on both front ends. */
    private static final Pattern ABSOLUTE = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://.*");

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

    /** A head too large to read at all: closed unanswered. */
    static final class Oversized extends IOException {
        private static final long serialVersionUID = 1L;

        Oversized() {
            super(null, null);
        }
    }

    /**
     * The head of the next request on the connection; null when the peer closed the connection
     * between requests. Lines end in CRLF, only HTTP/1.0 and HTTP/1.1 are read, empty lines before a request
     * are skipped, a folded header line continues the one before, and the end of input after the
     * request line ends the head. The body, if any, is the caller's to {@link #drainBody} once the
     * request is answered.
     */
    static Request read(InputStream in, Request.Peer peer, boolean viaSocket) throws IOException {
        String requestLine = line(in);
        for (int skipped = 0; requestLine != null && requestLine.isEmpty(); skipped++) {
            if (skipped == MAX_HEADER_LINES) {
                throw new Oversized();
            }
            requestLine = line(in);
        }
        if (requestLine == null) {
            return null;
        }
        // METHOD SP TARGET SP VERSION, split at the first two spaces.
        int first = requestLine.indexOf(' ');
        int second = first < 0 ? -1 : requestLine.indexOf(' ', first + 1);
        if (second < 0) {
            throw new Malformed(Protocol.BAD_REQUEST);
        }
        String target = requestLine.substring(first + 1, second);
        if (!target.startsWith("/") && !ABSOLUTE.matcher(target).matches()) {
            throw new Malformed(Protocol.NOT_FOUND); // "*", or nothing: no path at all
        }
        String version = requestLine.substring(second + 1);
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new Malformed(Protocol.BAD_REQUEST);
        }
        String[] parts = {requestLine.substring(0, first), target};
        // Names compared without case as they are read, so "Host" and "host" are one header given twice.
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> last = null;
        int bytes = requestLine.length() + 2;
        int lines = 0;
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            bytes += line.length() + 2;
            if (bytes > Handler.MAX_HEADER_BYTES || ++lines > MAX_HEADER_LINES) {
                throw new Oversized();
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                last.set(last.size() - 1, (last.get(last.size() - 1) + " " + line.trim()).trim());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Malformed(Protocol.BAD_REQUEST);
            }
            // The name as sent: one with a space before its colon is refused by the handler, on both front ends.
            last = headers.computeIfAbsent(line.substring(0, colon), name -> new ArrayList<>());
            last.add(line.substring(colon + 1).trim());
        }
        int query = parts[1].indexOf('?');
        return new Request(parts[0], query < 0 ? parts[1] : parts[1].substring(0, query),
                query < 0 ? null : parts[1].substring(query + 1), headers, peer, viaSocket).reading(in);
    }

    /**
     * The next request on the connection, or null when it is to close: the peer closed it, or sent
     * a head that cannot be answered on its own terms, which this method answers (malformed) or
     * drops unanswered (too large), counting it with {@code handler}.
     */
    static Request next(InputStream in, OutputStream out, Request.Peer peer, boolean viaSocket, Handler handler) throws IOException {
        try {
            return read(in, peer, viaSocket);
        } catch (Malformed malformed) {
            write(out, handler.malformed(malformed.status), true);
            return null;
        } catch (Oversized oversized) {
            handler.malformed(Protocol.HEADERS_TOO_LARGE);
            return null;
        }
    }

    /** Writes {@code handler}'s answer to {@code request}; true when the connection is to close after it. */
    static boolean answer(OutputStream out, Request request, Handler handler) throws IOException {
        Reply reply = handler.handle(request);
        // A HEAD answer carries a body here, so nothing after it on this connection could be trusted.
        boolean close = reply.close || "close".equalsIgnoreCase(request.single("Connection")) || request.method.equals("HEAD");
        write(out, reply, close);
        return close;
    }

    /**
     * Reads and drops the body of an answered request the handler did not read (at most a
     * kilobyte), so the next request starts where it should. A request with any other body was
     * refused, and its connection closes, so no byte of that body is ever read as a request.
     */
    static void drainBody(InputStream in, Request request) throws IOException {
        long bytes = request.bodyRead() ? 0 : request.contentLength();
        if (bytes > 0 && in.readNBytes((int) bytes).length < bytes) {
            throw new EOFException("the connection closed in the middle of a body");
        }
    }

    /** One CRLF-terminated line of the head; a line too long is a head too large. */
    private static String line(InputStream in) throws IOException {
        try {
            return HttpLines.read(in, Handler.MAX_HEADER_BYTES, true);
        } catch (HttpLines.TooLong tooLong) {
            throw new Oversized();
        }
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
