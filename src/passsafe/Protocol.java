package passsafe;

/**
 * The HTTP contract between {@link Server} and {@link Client}, documented in the README's
 * "Protocol" section. The token travels in a header, never in the URL, and the custom header
 * means no web page can send this request without a CORS preflight, which the server never grants.
 */
final class Protocol {
    static final int DEFAULT_PORT = 8051;
    static final String DEFAULT_URL = "http://localhost:" + DEFAULT_PORT;
    /** POST here for the default secret; {@code /v1/secret/NAME} for a named one. */
    static final String SECRET_PATH = "/v1/secret";
    /** GET: the safe's state, no token needed, nothing secret. */
    static final String STATUS_PATH = "/v1/status";
    /** POST with the token: wipe the safe and end its server now. */
    static final String STOP_PATH = "/v1/stop";
    static final String TOKEN_HEADER = "Passsafe-Token";
    static final String ATTEMPTS_HEADER = "Passsafe-Attempts-Left";
    static final String ENVELOPE_TYPE = "application/vnd.passsafe.envelope; version=" + Envelope.VERSION;

    static final int OK = 200;
    static final int BAD_REQUEST = 400;
    static final int INVALID_TOKEN = 401;
    static final int NOT_FOUND = 404;
    static final int WRONG_METHOD = 405;
    static final int CLOSED = 410;
    static final int TOO_LARGE = 413;
    static final int LOCKED = 423;
    static final int NOT_READY = 503;

    private Protocol() {}
}
