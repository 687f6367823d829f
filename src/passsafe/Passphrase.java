package passsafe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One-time diceware passphrases: six words drawn uniformly from the bundled 7,776-word list,
 * log2(7776) * 6 = 77.5 bits. The words are assembled straight into a {@code char[]} so the
 * passphrase never exists as a {@code String}.
 */
final class Passphrase {
    static final int WORDS = 6;
    static final int LIST_SIZE = 7776;
    private static final String RESOURCE = "/wordlist.txt";

    private Passphrase() {}

    static char[] generate(SecureRandom random) {
        List<String> words = wordlist();
        char[][] chosen = new char[WORDS][];
        int length = WORDS - 1;
        for (int i = 0; i < WORDS; i++) {
            // nextInt(bound) rejects out-of-range draws, so every word is equally likely.
            chosen[i] = words.get(random.nextInt(words.size())).toCharArray();
            length += chosen[i].length;
        }
        char[] passphrase = new char[length];
        int at = 0;
        for (char[] word : chosen) {
            if (at > 0) {
                passphrase[at++] = ' ';
            }
            System.arraycopy(word, 0, passphrase, at, word.length);
            at += word.length;
            Arrays.fill(word, '\0');
        }
        return passphrase;
    }

    /**
     * What the user typed or pasted, in the one spelling the key was derived from: words
     * separated by single spaces, lowercase, so stray tabs, newlines or capitals do not matter.
     */
    static char[] normalize(CharSequence typed) {
        char[] out = new char[typed.length()];
        int n = 0;
        boolean gap = false;
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                gap = n > 0;
                continue;
            }
            if (gap) {
                out[n++] = ' ';
                gap = false;
            }
            out[n++] = Character.toLowerCase(c);
        }
        char[] result = Arrays.copyOf(out, n);
        Arrays.fill(out, '\0');
        return result;
    }

    static List<String> wordlist() {
        return Holder.WORDS;
    }

    // Loaded on first use only: the client never needs the list.
    private static final class Holder {
        static final List<String> WORDS = load();
    }

    private static List<String> load() {
        InputStream in = Passphrase.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("wordlist.txt is missing from the jar; rebuild it with make");
        }
        List<String> words = new ArrayList<>(LIST_SIZE);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                words.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read wordlist.txt", e);
        }
        if (words.size() != LIST_SIZE) {
            throw new IllegalStateException("wordlist.txt has " + words.size() + " words, not " + LIST_SIZE + "; rebuild it with make wordlist");
        }
        return List.copyOf(words);
    }
}
