package passsafe;

import java.util.Locale;
import java.util.Set;

/**
 * Admits only requests that can have come from a passsafe client of this user on this machine,
 * judged from the headers and the transport's word on the peer alone, before the body is read or
 * the token looked at, so that no web page and no other user can spend the safe's three attempts.
 */
final class Gate {
    /** A browser adds at least one of these to any request a page makes. */
    private static final Set<String> BROWSER_HEADERS = Set.of("origin", "referer", "cookie", "upgrade");

    private final Set<String> hosts;
    /** Through the private socket, {@code curl --unix-socket PATH http://localhost/...} names no port. */
    private final Set<String> socketHosts;
    private final int ownUid;

    /** {@code ownUid} is -1 where peers' owners cannot be read: then the token alone guards. */
    Gate(int port, int ownUid) {
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        this.socketHosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "localhost", "127.0.0.1", "[::1]");
        this.ownUid = ownUid;
    }

    boolean checksUsers() {
        return ownUid >= 0;
    }

    /** Who gets past this gate, for the terminal: "a client of user alice (uid 1000)". */
    String admitted() {
        return checksUsers() ? "a client of user " + System.getProperty("user.name") + " (uid " + ownUid + ")" : "a client with the right token";
    }

    /** Null when the request may go on; otherwise why not, for the server's terminal only. */
    Refusal refusal(Request request) {
        String host = request.single("Host");
        // DNS rebinding: a page's own name resolving to 127.0.0.1 still arrives with that name.
        if (host == null || !(request.viaSocket ? socketHosts : hosts).contains(host)) {
            return Refusal.HOST;
        }
        for (String name : request.headers.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (BROWSER_HEADERS.contains(lower) || lower.startsWith("sec-fetch-")) {
                return Refusal.BROWSER;
            }
        }
        // The socket's peer is always known (SO_PEERCRED); a TCP peer's only where /proc/net is.
        return ownUid < 0 && !request.viaSocket ? null : request.peer.refusal();
    }
}
