package passsafe;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as the {@link Handler} sees it, whatever carried it: the method, the path and
 * query, the headers (names compared without case), and who is at the other end.
 */
final class Request {
    /** Who sent a request, as far as the transport that carried it can tell. */
    interface Peer {
        /** Null when the peer is the safe's own user (or users cannot be told apart); otherwise the refusal. */
        Refusal refusal();
    }

    final String method;
    final String path;
    /** The raw query string, or null when there is none. */
    final String query;
    final Map<String, List<String>> headers;
    final Peer peer;
    /** Whether it came through the private Unix-domain socket, which no browser and no other user can reach. */
    final boolean viaSocket;

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

    /** The header's values; empty when it is absent. */
    List<String> header(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The one value of a header given once, or null when it is absent or given more than once. */
    String single(String name) {
        List<String> values = header(name);
        return values.size() == 1 ? values.get(0) : null;
    }

    /** The bytes the request's headers take, as they came: names, values and separators. */
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
