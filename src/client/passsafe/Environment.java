package passsafe;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment variables a client reads, for {@link Client#fromEnvironment()} and the command
 * line alike: the passphrase, the token and the server's URL.
 */
final class Environment {
    static final String PASSPHRASE = "PASSSAFE_PASSPHRASE";
    static final String TOKEN = "PASSSAFE_TOKEN";
    static final String URL = "PASSSAFE_URL";
    /** Set by passsafe.sh: the descriptor that holds the passphrase and the token, each ended by a NUL, moved out of the environment. */
    static final String CREDENTIALS_FD = "PASSSAFE_CREDENTIALS_FD";
    private static final int MAX_CREDENTIALS_BYTES = 4096;

    private final Map<String, String> env;

    Environment(Map<String, String> env) {
        this.env = env;
    }

    /**
     * The environment, with the passphrase and token that passsafe.sh moved to an inherited pipe
     * put back, in this process's memory only; the pipe is read once, and is empty afterwards.
     */
    static Environment withLauncherPipe(Map<String, String> env) {
        String fd = env.get(CREDENTIALS_FD);
        if (fd == null || !fd.matches("[0-9]{1,4}")) {
            return new Environment(env);
        }
        Map<String, String> merged = new HashMap<>(env);
        merged.remove(CREDENTIALS_FD);
        byte[] bytes = new byte[MAX_CREDENTIALS_BYTES];
        int n = 0;
        try (InputStream pipe = new FileInputStream("/dev/fd/" + fd)) {
            for (int b = pipe.read(); b != -1 && n < bytes.length; b = pipe.read()) {
                bytes[n++] = (byte) b;
            }
            String[] lines = new String(bytes, 0, n, StandardCharsets.UTF_8).split("\0", -1);
            put(merged, PASSPHRASE, lines.length > 0 ? lines[0] : "");
            put(merged, TOKEN, lines.length > 1 ? lines[1] : "");
        } catch (IOException gone) {
            // Read already, or never there: the environment stands as it is.
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return new Environment(merged);
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (!value.isEmpty()) {
            env.put(name, value);
        }
    }

    /** The variables themselves, for what else they say (where the user's runtime directory is). */
    Map<String, String> variables() {
        return env;
    }

    /** The passphrase, or null when unset or blank. */
    String passphrase() {
        return value(PASSPHRASE);
    }

    /** The token, or null when unset or blank. */
    String token() {
        return value(TOKEN);
    }

    /** The server's URL from {@code PASSSAFE_URL}, or null when unset. */
    String url() {
        return value(URL);
    }

    private String value(String name) {
        String value = env.get(name);
        return value == null || value.trim().isEmpty() ? null : value;
    }
}
