package passsafe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a server announced: its passphrase, token and URL, read from what it printed (a pipe's or a terminal's lines). */
record Announced(String passphrase, String token, String url, int port) {
    private static final Pattern ANNOUNCEMENT = Pattern.compile(
            "Passphrase:\r?\n    ([a-z]+(?: [a-z]+){5})\r?\nToken:\r?\n    ([1-9][0-9]{2} [0-9]{3})\r?\n(?s:.*?)Serving on (http://localhost:(\\d+))\r?\n");

    /** Parses the announcement; fails the test when {@code printed} holds none, complete with its "Serving on" line. */
    static Announced parse(String printed) {
        Matcher m = ANNOUNCEMENT.matcher(printed);
        assertTrue(m.find(), "no announcement in:\n" + printed);
        return new Announced(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)));
    }

    /** A client of this server, at the test's cheap KDF cost when {@code cheap}. */
    Client client(boolean cheap) {
        return new Client(passphrase, token, url, cheap ? Fixture.CHEAP : Kdf.MIN_ITERATIONS);
    }

    /** The environment a command-line client of this server reads. */
    Map<String, String> env() {
        return Map.of(Locator.PASSPHRASE, passphrase, Locator.TOKEN, token, Locator.URL, url);
    }
}
