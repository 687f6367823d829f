package passsafe;

/**
 * Why the {@link Gate} or a front end turned a request away before looking at its token, as the
 * owner's once-a-minute summary counts it; never printed on its own, since anyone can send these
 * as fast as they like. The peer is only ever told {@link Handler#REFUSED}, whatever the reason.
 */
enum Refusal {
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
    MALFORMED;

    boolean ofAUser() {
        return this == OTHER_USER || this == UNKNOWN_USER;
    }
}
