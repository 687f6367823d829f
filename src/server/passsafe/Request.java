package passsafe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One HTTP request as the {@link Handler} sees it, whatever carried it: the method, the path and
 * query, the headers (names compared without case), and who is at the other end.
 */
final class Request {
    /** RFC 9110's token: what a header's name may be. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** A body's length, as both front ends read it: no sign, no leading zero, at most 18 digits. */
    private static final Pattern LENGTH = Pattern.compile("0|[1-9][0-9]{0,17}");

    interface Peer {
        /** Null when the peer is the safe's own user (or users cannot be told apart); otherwise the refusal. */
        Refusal refusal();
    }

    final String method;
    final String path;
    final String query;
    final Map<String, List<String>> headers;
    final Peer peer;
    /** Whether it came through the private Unix-domain socket, which no browser and no other user can reach. */
    final boolean viaSocket;
    /** Where the body is, unread until the handler asks for it; null for a request built without a stream. */
    private InputStream in;
    private boolean bodyRead;

    Request(String method, String path, String query, Map<String, List<String>> headers, Peer peer) {
        this(method, path, query, headers, peer, false);
    }

    Request(String method, String path, String query, Map<String, List<String>> headers, Peer peer, boolean viaSocket) {
        this.method = method;
        this.path = path;
        this.query = query;
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        this.headers = Collections.unmodifiableMap(copy);
        this.peer = peer;
        this.viaSocket = viaSocket;
    }

    /** The request, with its body to be read from {@code in} if the handler asks for it. */
    Request reading(InputStream in) {
        this.in = in;
        return this;
    }

    /**
     * The body, {@link #contentLength()} bytes, read now: only a request that passed every check
     * before its token gets its body read. The caller wipes it.
     *
     * @throws UncheckedIOException when the connection ends before the whole body came
     */
    byte[] body() {
        int length = (int) contentLength();
        bodyRead = true;
        try {
            byte[] body = in == null ? new byte[0] : in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("the connection closed in the middle of a body");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@link #body()} has read the body, so nothing is left to drain. */
    boolean bodyRead() {
        return bodyRead;
    }

    List<String> header(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The one value of a header given once, or null when it is absent or given more than once. */
    String single(String name) {
        List<String> values = header(name);
        return values.size() == 1 ? values.get(0) : null;
    }

    /**
     * Whether the request's framing is the one both front ends read alike: every header name a
     * plain token (no space before its colon), and at most one {@code Content-Length}, in digits
     * with no sign and no leading zero, and not beside {@code Transfer-Encoding}. Anything else might
     * be read as one request by one front end
     * and as two by the other, with a token smuggled in the second.
     */
    boolean wellFramed() {
        for (String name : headers.keySet()) {
            if (!TOKEN.matcher(name).matches()) {
                return false;
            }
        }
        List<String> lengths = header("Content-Length");
        if (!lengths.isEmpty() && !header("Transfer-Encoding").isEmpty()) {
            return false;
        }
        return lengths.isEmpty() || lengths.size() == 1 && LENGTH.matcher(lengths.get(0)).matches();
    }

    /** The declared body length: 0 when there is none; call only when {@link #wellFramed()}. */
    long contentLength() {
        String length = single("Content-Length");
        return length == null ? 0 : Long.parseLong(length);
    }

    int headerLines() {
        int lines = 0;
        for (List<String> values : headers.values()) {
            lines += values.size();
        }
        return lines;
    }

    int headerBytes() {
        int bytes = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                bytes += header.getKey().length() + value.length() + 4;
            }
        }
        return bytes;
    }
}
