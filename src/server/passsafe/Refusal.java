package passsafe;

/**
 * Why the {@link Gate} or a front end turned a request away before looking at its token, for the
 * owner's once-a-minute summary: the {@link Kind} decides how it is counted, the line says it.
 * The peer is only ever told {@link Handler#REFUSED}, whatever the reason.
 */
final class Refusal {
    /** Who a refusal was for, as the summary counts them. */
    enum Kind {
        /** A Host header other than the safe's own: a web page through DNS rebinding, or a stray program. */
        HOST,
        /** A header only a browser adds. */
        BROWSER,
        /** A connection of another user of this host. */
        OTHER_USER,
        /** A connection whose user cannot be told. */
        UNKNOWN_USER,
        /**
         * A request no passsafe client sends: a browser's CORS preflight ({@code OPTIONS}), a wrong
         * path or method, a body, a malformed or oversized head, no token.
         */
        MALFORMED
    }

    static final Refusal HOST = new Refusal(Kind.HOST, "refused: a Host header other than localhost, 127.0.0.1 or [::1] with this port");
    static final Refusal BROWSER = new Refusal(Kind.BROWSER, "refused: a request from a web browser");
    static final Refusal UNKNOWN_USER = new Refusal(Kind.UNKNOWN_USER, "refused: cannot tell which user opened the connection");

    final Kind kind;
    /** The line for the owner's terminal; nothing the peer chose but a user name made printable. */
    final String line;

    private Refusal(Kind kind, String line) {
        this.kind = kind;
        this.line = line;
    }

    /** A request no passsafe client sends, answered with {@code line}. */
    static Refusal malformed(String line) {
        return new Refusal(Kind.MALFORMED, line);
    }

    static Refusal otherUser(int uid) {
        return new Refusal(Kind.OTHER_USER, "refused: a connection from another user (uid " + uid + ")");
    }

    static Refusal otherUser(String user) {
        return new Refusal(Kind.OTHER_USER, "refused: a connection from another user (" + Printable.of(user) + ")");
    }

    /** Whether it was a user's connection, rather than a web page's or a malformed request. */
    boolean ofAUser() {
        return kind == Kind.OTHER_USER || kind == Kind.UNKNOWN_USER;
    }

    @Override
    public String toString() {
        return line;
    }
}
