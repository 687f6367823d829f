package passsafe;

import java.util.regex.Pattern;

/**
 * How a string someone else chose (a user's stray argument, another user's name) may appear in a
 * message: short and plain, or not at all. A stray argument may be a password typed in the wrong
 * place, and a name with control characters could rewrite the owner's terminal.
 */
final class Printable {
    private static final int MAX_LENGTH = 40;
    private static final Pattern PLAIN = Pattern.compile("[-A-Za-z0-9=./_ ]*");

    private Printable() {}

    static String of(String text) {
        return of(text, MAX_LENGTH);
    }

    /** As {@link #of(String)}, up to {@code max} characters: a file's path, which is no secret but may be long. */
    static String of(String text, int max) {
        return text.length() <= max && PLAIN.matcher(text).matches() ? text : "(unprintable)";
    }
}
