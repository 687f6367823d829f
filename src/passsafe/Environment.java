package passsafe;

import java.util.Map;

/**
 * The environment variables a client reads, for {@link Client#fromEnvironment()} and the command
 * line alike: the passphrase, the token and the server's URL.
 */
final class Environment {
    static final String PASSPHRASE = "PASSSAFE_PASSPHRASE";
    static final String TOKEN = "PASSSAFE_TOKEN";
    static final String URL = "PASSSAFE_URL";

    private final Map<String, String> env;

    Environment(Map<String, String> env) {
        this.env = env;
    }

    /** The passphrase, or null when unset or blank. */
    String passphrase() {
        return value(PASSPHRASE);
    }

    /** The token, or null when unset or blank. */
    String token() {
        return value(TOKEN);
    }

    /** The server's URL, or the default. */
    String url() {
        String url = value(URL);
        return url != null ? url : Protocol.DEFAULT_URL;
    }

    private String value(String name) {
        String value = env.get(name);
        return value == null || value.trim().isEmpty() ? null : value;
    }
}
