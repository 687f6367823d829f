package passsafe;

import com.sun.net.httpserver.Headers;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits only requests that can have come from a passsafe client of this user on this machine,
 * judged from the headers and the socket alone, before the body is read or the token looked at,
 * so that no web page and no other user can spend the safe's three attempts.
 */
final class Gate {
    /** The one body every refusal gets, so a refusal tells nothing about the safe's state. */
    static final String REFUSED = "refused: only a passsafe client of the safe's own user on this machine is served";
    /** A browser adds at least one of these to any request a page makes. */
    private static final Set<String> BROWSER_HEADERS = Set.of("origin", "referer", "cookie", "upgrade");

    private static final int MAX_REMEMBERED = 256;

    private final Set<String> hosts;
    private final int ownUid;
    /** Checked connections: client address to {this server's socket descriptor, its inode}. */
    private final Map<String, long[]> checked = new ConcurrentHashMap<>();

    /** {@code ownUid} is -1 where sockets' owners cannot be read: then the token alone guards. */
    Gate(int port, int ownUid) {
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        this.ownUid = ownUid;
    }

    boolean checksUsers() {
        return ownUid >= 0;
    }

    /** Who gets past this gate, for the terminal: "a client of user alice (uid 1000)". */
    String admitted() {
        return checksUsers() ? "a client of user " + System.getProperty("user.name") + " (uid " + ownUid + ")"
                : "a client with the right token";
    }

    /** Null when the request may go on; otherwise why not, for the server's terminal only. */
    String refusal(Headers headers, InetSocketAddress server, InetSocketAddress client) {
        List<String> host = headers.get("Host");
        // DNS rebinding: a page's own name resolving to 127.0.0.1 still arrives with that name.
        if (host == null || host.size() != 1 || !hosts.contains(host.get(0))) {
            return "refused: a Host header other than localhost, 127.0.0.1 or [::1] with this port";
        }
        for (String name : headers.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (BROWSER_HEADERS.contains(lower) || lower.startsWith("sec-fetch-")) {
                return "refused: a request from a web browser";
            }
        }
        return ownUid < 0 ? null : checkUser(server, client);
    }

    /**
     * Reads the client socket's owner once per connection (reading the tables is slow) and
     * remembers the connection by this server's own socket: its descriptor and inode. While that
     * descriptor is still that socket, the connection is the one that was checked.
     */
    private String checkUser(InetSocketAddress server, InetSocketAddress client) {
        String key = client.toString();
        long[] known = checked.get(key);
        if (known != null && ProcNet.isSocket((int) known[0], known[1])) {
            return null;
        }
        List<ProcNet.Row> rows = ProcNet.read();
        OptionalInt owner = ProcNet.ownerOf(rows, client, server);
        if (owner.isEmpty()) {
            return "refused: cannot tell which user opened the connection";
        }
        if (owner.getAsInt() != ownUid) {
            return "refused: a connection from another user (uid " + owner.getAsInt() + ")";
        }
        long inode = ProcNet.inodeOf(rows, server, client);
        int fd = inode < 0 ? -1 : ProcNet.fdOfSocket(inode);
        if (fd >= 0) {
            if (checked.size() >= MAX_REMEMBERED) {
                checked.clear();
            }
            checked.put(key, new long[] {fd, inode});
        }
        return null;
    }
}
