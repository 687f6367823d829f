package passsafe;

import java.util.Locale;

/**
 * Where a safe stands, as the server keeps it and the wire names it ({@code open}, {@code used-up},
 * …); only {@link #OPEN} hands out envelopes. Each state says in words why a safe in it no
 * longer serves, so the server's bodies, the client's exceptions and the command line agree.
 */
enum State {
    OPEN("it is open"),
    LOCKED("it is locked after " + Token.MAX_ATTEMPTS + " invalid tokens"),
    EXPIRED("its storage duration has expired"),
    USED_UP("its uses are used up"),
    IDLE("it went unused for its idle time"),
    STOPPED("its owner stopped it"),
    INTERRUPTED("its server was interrupted");

    private final String reason;

    State(String reason) {
        this.reason = reason;
    }

    String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Why a safe in this state no longer serves, in words: "its uses are used up". */
    String reason() {
        return reason;
    }

    /** @throws PasssafeException.UnsupportedServer for a code no passsafe server sends */
    static State of(String code) {
        for (State state : values()) {
            if (state.code().equals(code)) {
                return state;
            }
        }
        throw new PasssafeException.UnsupportedServer("it reports a state this client does not know");
    }
}
