package passsafe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.CharBuffer;
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

    /**
     * The passphrase as typed, normalized, after checking that it is six words from the list.
     * The messages say what is wrong without repeating any word.
     *
     * @throws IllegalArgumentException if it is not six words from the bundled list
     */
    static char[] parse(CharSequence typed) {
        char[] passphrase = normalize(typed);
        int words = passphrase.length == 0 ? 0 : 1;
        for (char c : passphrase) {
            words += c == ' ' ? 1 : 0;
        }
        if (words != WORDS) {
            Arrays.fill(passphrase, '\0');
            throw new IllegalArgumentException("the passphrase must be the " + WORDS + " words the server printed, separated by spaces;"
                    + " this one has " + words + (words == 1 ? " word" : " words"));
        }
        for (int start = 0, word = 1; start < passphrase.length; word++) {
            int end = start;
            while (end < passphrase.length && passphrase[end] != ' ') {
                end++;
            }
            if (!listed(CharBuffer.wrap(passphrase, start, end - start))) {
                Arrays.fill(passphrase, '\0');
                throw new IllegalArgumentException("word " + word + " of the passphrase is not one passsafe prints; copy the six words exactly as the server printed them");
            }
            start = end + 1;
        }
        return passphrase;
    }

    /** Whether {@code word} is on the list, which is sorted: a binary search that makes no String of it. */
    private static boolean listed(CharSequence word) {
        List<String> list = wordlist();
        int low = 0;
        int high = list.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = CharSequence.compare(list.get(middle), word);
            if (order == 0) {
                return true;
            }
            if (order < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return false;
    }

    static List<String> wordlist() {
        return Holder.WORDS;
    }

    // Loaded on first use only.
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
