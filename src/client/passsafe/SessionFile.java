package passsafe;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Session mode's file ({@code passsafe --session}): the safe's derived key with its salt and
 * iterations (so no client spends the key derivation), its token and its id, in the user's
 * {@link PrivateDirectory}, so that the user's own programs (a notebook kernel, which has no
 * terminal) find them with no credential in their code. The id is the one every status of the
 * safe carries, so a client tells the file of the safe that answers from one a killed safe left.
 * The key and the token go through wiped arrays only, never a String.
 */
final class SessionFile {
    static final String FIRST_LINE = "passsafe-session 2";
    private static final String[] KEYS = {"key", "salt", "iterations", "token", "session"};
    private static final String NOT_A_SESSION = "it is not a passsafe session file";
    private static final int MAX_BYTES = 1024;

    private SessionFile() {}

    static final class Contents implements AutoCloseable {
        /** The safe's key, which opens its envelopes and no other safe's: wiped on {@link #close()}. */
        final byte[] key;
        final byte[] salt;
        final int iterations;
        final String token;
        final String session;
        final Path file;

        Contents(byte[] key, byte[] salt, int iterations, String token, String session, Path file) {
            this.key = key;
            this.salt = salt;
            this.iterations = iterations;
            this.token = token;
            this.session = session;
            this.file = file;
        }

        @Override
        public void close() {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Writes the session file of the safe on {@code port} in {@code dir}: the key that
     * {@code salt} and {@code iterations} derived, its token (ASCII digits) and its id.
     *
     * @throws IOException saying why the file could not be made private to this user
     */
    static Path write(Path dir, int port, byte[] key, byte[] salt, int iterations, byte[] token, String session) throws IOException {
        String head = FIRST_LINE + "\nkey ";
        String middle = "\nsalt " + KeyCheck.hex(salt) + "\niterations " + iterations + "\ntoken ";
        String tail = "\nsession " + session + "\n";
        char[] text = new char[head.length() + key.length * 2 + middle.length() + token.length + tail.length()];
        byte[] bytes = null;
        try {
            int at = put(text, 0, head);
            at = KeyCheck.hexInto(key, text, at);
            at = put(text, at, middle);
            for (byte digit : token) {
                text[at++] = (char) digit;
            }
            put(text, at, tail);
            bytes = Utf8.encode(text);
            return PrivateDirectory.write(dir, port, PrivateDirectory.Kind.SESSION, bytes);
        } finally {
            Arrays.fill(text, '\0');
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private static int put(char[] into, int at, String text) {
        text.getChars(0, text.length(), into, at);
        return at + text.length();
    }

    /**
     * The session of the safe on {@code port}, from the first private directory of this user that
     * holds one; null when there is none.
     *
     * @throws PasssafeException.NoSession when the file is not this user's alone, or is not a session file
     */
    static Contents find(Map<String, String> env, int port) {
        Path file = PrivateDirectory.find(env, port, PrivateDirectory.Kind.SESSION);
        if (file == null) {
            return null;
        }
        byte[] bytes = null;
        try {
            bytes = PrivateDirectory.read(file, MAX_BYTES + 1);
            return parse(bytes, file);
        } catch (IOException e) {
            throw new PasssafeException.NoSession(file, e.getMessage());
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * The contents of {@code bytes}, read from {@code file}; the caller wipes {@code bytes}.
     *
     * @throws PasssafeException.NoSession when they are not a session file this passsafe wrote
     */
    static Contents parse(byte[] bytes, Path file) {
        if (bytes.length > MAX_BYTES) {
            throw new PasssafeException.NoSession(file, NOT_A_SESSION);
        }
        char[] text = null;
        try {
            text = Utf8.decode(bytes);
            return parse(text, file);
        } catch (CharacterCodingException notText) {
            throw new PasssafeException.NoSession(file, NOT_A_SESSION);
        } finally {
            if (text != null) {
                Arrays.fill(text, '\0');
            }
        }
    }

    /** The first line, then one "name value" line for each of {@link #KEYS}, in order; the key is read straight from the wiped text. */
    private static Contents parse(char[] text, Path file) {
        int[] starts = new int[KEYS.length + 1];
        int[] ends = new int[KEYS.length + 1];
        int line = 0;
        for (int i = 0, start = 0; i < text.length && line <= KEYS.length; i++) {
            if (text[i] == '\n') {
                starts[line] = start;
                ends[line++] = i;
                start = i + 1;
            }
        }
        if (line != KEYS.length + 1 || ends[KEYS.length] != text.length - 1 || !CharBuffer.wrap(text, 0, ends[0]).toString().equals(FIRST_LINE)) {
            throw new PasssafeException.NoSession(file, NOT_A_SESSION);
        }
        for (int k = 0; k < KEYS.length; k++) {
            if (!startsWith(text, starts[k + 1], KEYS[k] + " ")) {
                throw new PasssafeException.NoSession(file, NOT_A_SESSION);
            }
        }
        byte[] salt = KeyCheck.parseHex(value(text, starts, ends, 2), Kdf.SALT_SIZE_IN_BYTES);
        String iterations = value(text, starts, ends, 3);
        String token = value(text, starts, ends, 4);
        int keyAt = starts[1] + KEYS[0].length() + 1;
        byte[] key = ends[1] - keyAt == 2 * Kdf.KEY_SIZE_IN_BYTES ? KeyCheck.parseHex(text, keyAt, Kdf.KEY_SIZE_IN_BYTES) : null;
        if (key == null || salt == null || !iterations.matches("[1-9][0-9]{0,8}") || Token.parse(token) == null) {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
            throw new PasssafeException.NoSession(file, NOT_A_SESSION);
        }
        return new Contents(key, salt, Integer.parseInt(iterations), token, value(text, starts, ends, 5), file);
    }

    /** The value of line {@code line}, "name value"; never the key's, which no String may hold. */
    private static String value(char[] text, int[] starts, int[] ends, int line) {
        int at = starts[line] + KEYS[line - 1].length() + 1;
        return new String(text, at, ends[line] - at);
    }

    private static boolean startsWith(char[] text, int at, String prefix) {
        return at + prefix.length() <= text.length && CharBuffer.wrap(text, at, prefix.length()).toString().equals(prefix);
    }
}
