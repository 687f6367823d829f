package passsafe;

import java.util.regex.Pattern;

/**
 * The names secrets go by in a safe. A name travels in URLs and envelopes, so it is kept to a
 * small alphabet that needs no escaping anywhere.
 */
final class Names {
    static final String DEFAULT = "password";
    static final String RULE = "1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit";

    private Names() {}

    // Checked on every request: compiled once.
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    static boolean valid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    static void check(String name) {
        if (!valid(name)) {
            throw new IllegalArgumentException("a secret's name is " + RULE);
        }
    }
}
