package passsafe;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 30} (minutes), {@code 90s}, {@code 45m}, {@code 1h30m}. */
final class Durations {
    static final Duration MIN = Duration.ofMinutes(1);
    static final Duration MAX = Duration.ofHours(8);
    static final String FORMS = "30 (minutes), 90s, 45m or 1h30m, from 1 minute to 8 hours";
    static final String RULE = "a duration is " + FORMS;
    private static final Pattern FORM = Pattern.compile("(?:(\\d{1,3})h)?(?:(\\d{1,4})m)?(?:(\\d{1,5})s)?");

    private Durations() {}

    /** The duration typed, or null when it is malformed or outside 1 minute to 8 hours. */
    static Duration parse(String typed) {
        String text = typed.trim().toLowerCase(java.util.Locale.ROOT);
        Duration duration;
        if (text.matches("\\d{1,4}")) {
            duration = Duration.ofMinutes(Long.parseLong(text));
        } else {
            Matcher m = FORM.matcher(text);
            if (text.isEmpty() || !m.matches()) {
                return null;
            }
            duration = Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2))).plusSeconds(number(m.group(3)));
        }
        return duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0 ? null : duration;
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    /** In minutes, as the original passsafe said it: "30 minutes", "90 minutes", "1 minute 30 seconds". */
    static String describe(Duration duration) {
        long seconds = duration.getSeconds();
        StringBuilder text = new StringBuilder();
        append(text, seconds / 60, "minute");
        append(text, seconds % 60, "second");
        if (text.length() == 0 && duration.toMillis() > 0) {
            return duration.toMillis() + " ms";
        }
        return text.length() == 0 ? "0 seconds" : text.toString();
    }

    private static void append(StringBuilder text, long n, String unit) {
        if (n > 0) {
            text.append(text.length() > 0 ? " " : "").append(n).append(' ').append(unit).append(n == 1 ? "" : "s");
        }
    }

    static String clock(Duration duration) {
        long s = Math.max(0, duration.getSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
