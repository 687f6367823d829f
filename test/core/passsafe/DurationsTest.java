package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest(name = "{0} -> {1} s")
    @CsvSource({"30, 1800", "1, 60", "480, 28800", "90s, 90", "60s, 60", "45m, 2700", "1h30m, 5400", "8h, 28800",
        "1h, 3600", "2h15m30s, 8130", " 30 , 1800", "1H30M, 5400"})
    void parse_everyForm(String typed, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), Durations.parse(typed));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "0", "59s", "481", "8h1s", "1.5", "abc", "1h30", "-5", "1d", "m", "30 m", "1h 30m", "99999999"})
    void parse_refusesTheRest(String typed) {
        assertNull(Durations.parse(typed));
    }

    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({"60, 1 minute", "1800, 30 minutes", "3600, 60 minutes", "5400, 90 minutes", "90, 1 minute 30 seconds", "28800, 480 minutes"})
    void describe_readsAsEnglish(long seconds, String text) {
        assertEquals(text, Durations.describe(Duration.ofSeconds(seconds)));
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"0, 0 seconds", "1, 1 ms", "999, 999 ms", "1000, 1 second", "61000, 1 minute 1 second", "120000, 2 minutes"})
    void describe_underAMinuteAndUnderASecond(long millis, String text) {
        assertEquals(text, Durations.describe(Duration.ofMillis(millis)));
    }

    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({"0, 0:00", "-5, 0:00", "59, 0:59", "60, 1:00", "3599, 59:59", "3600, 1:00:00", "3723, 1:02:03", "28800, 8:00:00"})
    void clock_minutesAndSecondsThenHours(long seconds, String text) {
        assertEquals(text, Durations.clock(Duration.ofSeconds(seconds)));
    }
}
