package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenTest {
    @Test
    void generate_sixDigitsNeverStartingWithZero() {
        SecureRandom random = new SecureRandom();
        Set<Character> firsts = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            String token = new String(Token.generate(random), StandardCharsets.US_ASCII);
            assertTrue(token.matches("[1-9][0-9]{5}"), token);
            firsts.add(token.charAt(0));
        }
        assertEquals(9, firsts.size(), "every first digit 1-9 should appear in 5,000 draws");
    }

    @Test
    void display_groupsThreeAndThree() {
        assertEquals("936 265", new String(Token.display(Token.ascii(936265))));
    }

    @Test
    void parse_acceptsThePrintedForms() {
        byte[] expected = "936265".getBytes(StandardCharsets.US_ASCII);
        for (String typed : new String[] {"936265", "936 265", " 936 265 ", "9 3 6 2 6 5"}) {
            assertArrayEquals(expected, Token.parse(typed), typed);
        }
    }

    @Test
    void parse_refusesEverythingElse() {
        for (String typed : new String[] {"", "93626", "9362655", "036265", "93626a", "936-265", "936\t265", "５３６２６５", "5349"}) {
            assertNull(Token.parse(typed), typed);
        }
    }

    @Test
    void matches_isExact() {
        byte[] token = Token.ascii(936265);
        assertTrue(Token.matches(token, Token.ascii(936265)));
        assertFalse(Token.matches(token, Token.ascii(936266)));
        assertFalse(Token.matches(token, null));
    }
}
