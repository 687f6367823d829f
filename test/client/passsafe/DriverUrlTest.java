package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A jdbc:passsafe: URL and its properties taken apart, on their own: what reaches the database's driver and what passsafe keeps. */
class DriverUrlTest {
    private static DriverUrl parse(String rest) {
        return DriverUrl.parse(DriverUrl.PREFIX + rest, new Properties());
    }

    @Test
    void parse_noSafeNamed_isFoundLater() {
        DriverUrl url = parse("postgresql://db/sales");
        assertEquals("jdbc:postgresql://db/sales", url.real);
        assertNull(url.safe);
        assertEquals(Names.DEFAULT, url.secret);
    }

    @Test
    void parse_portAtEitherEnd_accepted_pastEitherRefused() {
        assertEquals(1, parse("postgresql://db/sales?passsafe.port=1").safe.port);
        assertEquals(65535, parse("postgresql://db/sales?passsafe.port=65535").safe.port);
        for (String port : new String[] {"0", "65536", "-1", "80a", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("postgresql://db/sales?passsafe.port=" + port), port);
            assertEquals("passsafe.port must be a port number from 1 to 65535, such as 8052", e.getMessage());
        }
    }

    @Test
    void parse_aMalformedSecretName_isRefusedWithTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("postgresql://db/sales?passsafe.secret=Not%20one"));
        assertTrue(e.getMessage().contains(Names.RULE), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DriverUrl.parse(DriverUrl.PREFIX + "postgresql://db/sales", properties("passsafe.secret", "x y")));
    }

    @Test
    void parse_aNameThatDoesNotDecode_isTakenAsWritten() {
        DriverUrl url = parse("postgresql://db/sales?pass%word=x&password%=y&user=a");
        assertEquals("jdbc:postgresql://db/sales?pass%word=x&password%=y&user=a", url.real, "neither is a password parameter");
        assertEquals("jdbc:postgresql://db/sales?user=a", parse("postgresql://db/sales?pass%77ord=x&user=a").real, "one that decodes to password is");
    }

    @Test
    void parse_passsafePort_namesTheSafe_aUrlIsNotOneOfPasssafesProperties() {
        assertEquals("http://localhost:8052", parse("postgresql://db/sales?passsafe.port=8052").safe.toString());
        assertThrows(IllegalArgumentException.class, () -> parse("postgresql://db/sales?passsafe.url=http://localhost:8052"));
    }

    private static Properties properties(String name, String value) {
        Properties properties = new Properties();
        properties.setProperty(name, value);
        return properties;
    }
}
