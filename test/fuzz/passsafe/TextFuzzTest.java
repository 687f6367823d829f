package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** Any text (the stored input's UTF-8) where a user types a duration, a secret's name, a token, a safe's URL or a JDBC URL. */
class TextFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void duration_nullOrWithinBounds(byte[] input) {
        String typed = FuzzChecks.text(input);
        Duration duration = Durations.parse(typed);
        if (duration == null) {
            return;
        }
        assertTrue(duration.compareTo(Durations.MIN) >= 0 && duration.compareTo(Durations.MAX) <= 0, () -> "out of bounds: " + duration);
        FuzzChecks.oneLine(Durations.describe(duration));
        FuzzChecks.oneLine(Durations.clock(duration));
    }

    @FuzzTest(maxDuration = "2m")
    void name_validExactlyWhenTheRuleSays(byte[] input) {
        String name = FuzzChecks.text(input);
        boolean rule = name.matches("[a-z0-9][a-z0-9_-]{0,31}");
        assertEquals(rule, Names.valid(name));
        if (rule) {
            Names.check(name);
            assertEquals(name, Protocol.secretName(Protocol.secretPath(name)));
        } else {
            FuzzChecks.oneLine(assertThrows(IllegalArgumentException.class, () -> Names.check(name)).getMessage());
        }
    }

    @FuzzTest(maxDuration = "2m")
    void token_sixDigitsOrNull(byte[] input) {
        String typed = FuzzChecks.text(input);
        byte[] token = Token.parse(typed);
        String digits = typed.replace(" ", "");
        boolean rule = digits.matches("[1-9][0-9]{5}");
        assertEquals(rule, token != null, () -> "disagrees with the rule on " + typed);
        if (token != null) {
            assertEquals(digits, new String(token, StandardCharsets.US_ASCII));
            assertTrue(Token.matches(token, Token.parse(digits)));
        }
    }

    @FuzzTest(maxDuration = "2m")
    void loopbackUrl_ruleOrCanonical(byte[] input) {
        String typed = FuzzChecks.text(input);
        LoopbackUrl url;
        try {
            url = LoopbackUrl.parse(typed);
        } catch (IllegalArgumentException refused) {
            assertEquals(LoopbackUrl.RULE, refused.getMessage());
            return;
        }
        assertTrue(url.port >= 1 && url.port <= 65535, "a port out of range");
        assertEquals(url.toString(), LoopbackUrl.parse(url.toString()).toString(), "not canonical");
    }

    @FuzzTest(maxDuration = "2m")
    void driverUrl_neverPassesAPasswordOn(byte[] input) {
        String rest = FuzzChecks.text(input);
        Properties info = new Properties();
        info.setProperty("password", "canary-password");
        DriverUrl url;
        try {
            url = DriverUrl.parse(DriverUrl.PREFIX + rest, info);
        } catch (IllegalArgumentException refused) {
            FuzzChecks.oneLine(refused.getMessage());
            // A name the input spells is echoed where it is plain; the password's value never is.
            assertFalse(refused.getMessage().contains("canary-password") && !rest.contains("canary-password"), refused::getMessage);
            return;
        }
        assertTrue(url.real.startsWith("jdbc:"), "not a JDBC URL: " + url.real);
        int query = url.real.indexOf('?');
        String base = query < 0 ? url.real : url.real.substring(0, query);
        List<String> parameters = new ArrayList<>(Arrays.asList(base.split(";", -1)));
        parameters.remove(0);
        if (query >= 0) {
            parameters.addAll(Arrays.asList(url.real.substring(query + 1).split("&", -1)));
        }
        for (String parameter : parameters) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            String plain = decoded(name).trim().toLowerCase(Locale.ROOT);
            assertFalse(plain.equals("password") || plain.startsWith("passsafe."), () -> "passed on to the database's driver: " + url.real);
        }
        assertFalse(url.properties.containsKey("password"), "a password property passed on");
        assertNotNull(url.secret);
    }

    /** A parameter's name as a driver reads it: URL-decoded where it decodes. */
    private static String decoded(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return name;
        }
    }
}
