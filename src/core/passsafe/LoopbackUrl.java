package passsafe;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * A passsafe server's URL, checked and put in one canonical form once: {@code http://HOST:PORT}
 * with {@code localhost}, {@code 127.0.0.1} or {@code [::1]} as the host, in lowercase, with no
 * path, query, fragment or user. The client connects to it, sends its {@code Host} header and names
 * it in messages, always in that form, so the server's exact {@code Host} check accepts what the
 * user typed in any case.
 */
final class LoopbackUrl {
    static final String RULE = "the url must be http://localhost:PORT, http://127.0.0.1:PORT or http://[::1]:PORT:"
            + " a passsafe server listens on this machine only";
    private static final Set<String> HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    /** The host as it is sent: {@code localhost}, {@code 127.0.0.1} or {@code [::1]}. */
    final String host;
    final int port;

    private LoopbackUrl(String host, int port) {
        this.host = host;
        this.port = port;
    }

    static LoopbackUrl localhost(int port) {
        return new LoopbackUrl("localhost", port);
    }

    /**
     * @throws IllegalArgumentException with {@link #RULE} unless {@code url} is a loopback
     *     {@code http://HOST:PORT}; a trailing slash is allowed
     */
    static LoopbackUrl parse(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || host == null || !HOSTS.contains(host) || uri.getRawUserInfo() != null
                    || uri.getPort() < 1 || uri.getPort() > 65535 || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException(RULE);
            }
            return new LoopbackUrl(host, uri.getPort());
        } catch (URISyntaxException | IllegalArgumentException e) {
            // java.net.URI also throws NumberFormatException, with the input in its message, for an
            // IPv6 literal whose IPv4 part does not fit an int: the rule, never that.
            throw new IllegalArgumentException(RULE);
        }
    }

    String hostHeader() {
        return host + ":" + port;
    }

    /** {@code http://localhost:8051}. */
    @Override
    public String toString() {
        return "http://" + hostHeader();
    }
}
