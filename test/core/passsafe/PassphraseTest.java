package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassphraseTest {
    @Test
    void generate_sixWordsOfTheListSeparatedBySingleSpaces() {
        Set<String> list = new HashSet<>(Passphrase.wordlist());
        SecureRandom random = new SecureRandom();
        Set<String> passphrases = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String passphrase = new String(Passphrase.generate(random));
            String[] words = passphrase.split(" ", -1);
            assertEquals(6, words.length, passphrase);
            for (String word : words) {
                assertTrue(list.contains(word), word);
            }
            passphrases.add(passphrase);
        }
        assertEquals(200, passphrases.size());
    }

    @Test
    void wordlist_has7776DistinctCommonWords() {
        List<String> words = Passphrase.wordlist();
        assertEquals(7776, words.size());
        assertEquals(7776, new HashSet<>(words).size());
        for (String word : words) {
            assertTrue(word.matches("[a-z]{3,9}"), word);
        }
        assertEquals(77.5, Math.floor(6 * Math.log(words.size()) / Math.log(2) * 10) / 10);
    }

    @Test
    void wordlist_holdsNoExcludedWord() throws IOException {
        Set<String> words = new HashSet<>(Passphrase.wordlist());
        List<String> excluded = Files.readAllLines(Path.of("test/wordlist/exclude.txt"));
        long checked = excluded.stream().filter(w -> !w.isEmpty() && !w.startsWith("#")).peek(w -> assertFalse(words.contains(w), w)).count();
        assertTrue(checked > 50, "the exclusion list was read");
    }

    @Test
    void normalize_foldsWhitespaceAndCase() {
        assertEquals("crudely explode kilogram", new String(Passphrase.normalize("  Crudely\texplode \n kilogram\r\n")));
        assertEquals("", new String(Passphrase.normalize(" \t\n")));
    }

    @Test
    void parse_wordsBeforeTheFirstAndAfterTheLastOfTheList_refusedByPosition() {
        // The list runs from its first word to "zoom": a search below or beyond it must end, not overrun.
        String first = Passphrase.wordlist().get(0);
        for (String[] words : new String[][] {{"aaa zoom zoom zoom zoom zoom", "1"}, {"zzzz zoom zoom zoom zoom zoom", "1"},
            {first + " zzzz zoom zoom zoom zoom", "2"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Passphrase.parse(java.nio.CharBuffer.wrap(words[0])), words[0]);
            assertEquals("word " + words[1] + " of the passphrase is not one passsafe prints; copy the six words exactly as the server printed them",
                    e.getMessage());
        }
        assertEquals(first + " zoom zoom zoom zoom zoom", new String(Passphrase.parse(java.nio.CharBuffer.wrap(first + " zoom zoom zoom zoom zoom"))));
    }

    @Test
    void parse_wrongNumberOfWords_saysHowMany() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> Passphrase.parse(java.nio.CharBuffer.wrap("zoom")));
        assertTrue(one.getMessage().endsWith("this one has 1 word"), one.getMessage());
        IllegalArgumentException seven = assertThrows(IllegalArgumentException.class,
                () -> Passphrase.parse(java.nio.CharBuffer.wrap("zoom zoom zoom zoom zoom zoom zoom")));
        assertTrue(seven.getMessage().endsWith("this one has 7 words"), seven.getMessage());
    }
}
