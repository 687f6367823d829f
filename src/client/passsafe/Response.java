package passsafe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One answer of a passsafe server as a client reads it, and what it means: {@link #ok()} is the
 * protocol's table from status to {@link PasssafeException}. Reading is strict and bounded:
 * a body needs a plain {@code Content-Length} no larger than an envelope can be.
 */
final class Response {
    static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern PRINTABLE = Pattern.compile("[ -~]*");
    private static final Set<String> READ_HEADERS = Set.of(Protocol.lower(Protocol.ATTEMPTS_HEADER),
            Protocol.lower(Protocol.ENDED_HEADER), Protocol.lower(Protocol.SECRETS_HEADER), Protocol.lower(Protocol.VERSION_HEADER),
            Protocol.lower(Protocol.REJECTED_HEADER), Protocol.lower(Protocol.TRIAL_HEADER));

    /** The path the request asked for, to name a missing secret. */
    final String path;
    final int status;
    final Map<String, String> headers;
    final byte[] body;
    final boolean closes;

    Response(String path, int status, Map<String, String> headers, byte[] body, boolean closes) {
        this.path = path;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.closes = closes;
    }

    /**
     * Reads the answer to a request for {@code path}; null when the connection ends before its
     * first byte (a kept-alive connection the server had closed, say).
     *
     * @throws PasssafeException.UnsupportedServer for anything that is not a passsafe answer
     * @throws IOException when the connection ends in the middle of the answer
     */
    static Response read(InputStream in, String path) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12 || !DIGITS.matcher(statusLine.substring(9, 12)).matches()) {
            throw new PasssafeException.UnsupportedServer("it does not speak HTTP/1.1");
        }
        long length = -1;
        boolean closes = false;
        Map<String, String> headers = new HashMap<>();
        int headBytes = statusLine.length();
        for (String header = required(in); !header.isEmpty(); header = required(in)) {
            headBytes += header.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new PasssafeException.UnsupportedServer("its answer's headers are too large");
            }
            int colon = header.indexOf(':');
            String name = colon < 0 ? "" : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            if (name.equals("content-length") && DIGITS.matcher(value).matches()) {
                length = Long.parseLong(value);
            } else if (name.equals("connection")) {
                closes = value.equalsIgnoreCase("close");
            } else if (READ_HEADERS.contains(name)) {
                headers.put(name, value);
            }
        }
        if (length < 0 || length > Envelope.MAX_SIZE_IN_BYTES) {
            throw new PasssafeException.UnsupportedServer("its answer has no usable Content-Length");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new EOFException("the connection closed in the middle of an answer");
        }
        return new Response(path, Integer.parseInt(statusLine.substring(9, 12)), headers, body, closes);
    }

    private static String line(InputStream in) throws IOException {
        try {
            return HttpLines.read(in, MAX_HEAD_BYTES);
        } catch (HttpLines.TooLong e) {
            throw new PasssafeException.UnsupportedServer("its answer has an overlong line");
        }
    }

    private static String required(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new EOFException("the connection closed in the middle of an answer");
        }
        return line;
    }

    /** The body of a 200 answer; any other status becomes the exception that explains it. */
    byte[] ok() {
        switch (status) {
            case Protocol.OK:
                return body;
            case Protocol.INVALID_TOKEN:
                String left = header(Protocol.ATTEMPTS_HEADER);
                throw new PasssafeException.InvalidToken(left != null && left.length() == 1 && DIGITS.matcher(left).matches() ? Integer.parseInt(left) : 0);
            case Protocol.LOCKED:
                throw PasssafeException.ended(State.LOCKED, null);
            case Protocol.CLOSED:
                State ended = State.of(header(Protocol.ENDED_HEADER));
                throw ended == State.OPEN ? unexpected() : PasssafeException.ended(ended, null);
            case Protocol.NOT_READY:
                throw new PasssafeException.NotReady();
            case Protocol.WRONG_KEY:
                throw new PasssafeException.WrongPassphrase();
            case Protocol.REJECTED:
                throw new PasssafeException.Rejected(Protocol.secretName(path), number(Protocol.REJECTED_HEADER));
            case Protocol.NOT_FOUND:
                String held = header(Protocol.SECRETS_HEADER);
                String asked = Protocol.secretName(path);
                if (held != null && asked != null) {
                    throw new PasssafeException.NoSuchSecret(asked, names(held));
                }
                throw unexpected();
            default:
                throw unexpected();
        }
    }

    /** A header that must be a plain number, such as {@link Protocol#VERSION_HEADER}. */
    long number(String name) {
        String value = header(name);
        if (value == null || !DIGITS.matcher(value).matches() && !value.matches("[0-9]{10,12}")) {
            throw new PasssafeException.UnsupportedServer("its answer has no valid " + name);
        }
        return Long.parseLong(value);
    }

    private PasssafeException unexpected() {
        return new PasssafeException.UnsupportedServer("it answered HTTP " + status + " (" + reason() + ")");
    }

    private String header(String name) {
        return headers.get(Protocol.lower(name));
    }

    /** The names in a {@link Protocol#SECRETS_HEADER}, each checked, never echoed when malformed. */
    private static List<String> names(String held) {
        List<String> names = Arrays.asList(held.split(",", -1));
        for (String name : names) {
            if (!Names.valid(name)) {
                throw new PasssafeException.UnsupportedServer("its status has no valid " + Protocol.SECRETS_HEADER);
            }
        }
        return names;
    }

    /** The server's one-line reason, if it is short plain text; never more than that. */
    private String reason() {
        String text = new String(body, StandardCharsets.US_ASCII).trim();
        return text.length() <= 200 && PRINTABLE.matcher(text).matches() ? text : "no readable reason";
    }
}
