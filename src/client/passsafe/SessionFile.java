package passsafe;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Session mode's file ({@code passsafe --session}) as clients read it: the safe's derived key
 * (with its salt and iterations, so no client spends the key derivation), the token and the URL, in the user's private socket directory, so that the user's own programs (a
 * notebook kernel, which has no terminal) find them with no credential in their code. The server
 * writes it ({@link SessionWriter}) 0600 before a byte is in it; a client uses it only while it
 * is a regular file of this user's that no one else may read.
 */
final class SessionFile {
    static final String FIRST_LINE = "passsafe-session 2";
    private static final String[] KEYS = {"key", "salt", "iterations", "token", "url", "session"};
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final String NOT_A_SESSION = "it is not a passsafe session file";
    private static final int MAX_BYTES = 1024;

    private SessionFile() {}

    static Path path(Path dir, int port) {
        return dir.resolve(port + ".session");
    }

    /** The key and token a session file holds, the id of the safe that wrote it, and where it is. */
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
     * The session of the safe on {@code port}, from the first private directory of this user that
     * holds one; null when there is none.
     *
     * @throws PasssafeException.NoSession when the file is not this user's alone, or is not a session file
     */
    static Contents find(Map<String, String> env, int port) {
        for (Path dir : SocketDirectory.candidates(env)) {
            Path file = path(dir, port);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && SocketDirectory.untrusted(dir) == null) {
                return read(file);
            }
        }
        return null;
    }

    private static Contents read(Path file) {
        String why = untrusted(file);
        if (why != null) {
            throw new PasssafeException.NoSession(file, why);
        }
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(file);
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

    /**
     * Seven lines: the first line, then key, salt, iterations, token, url and session, each "key
     * value". The key is read straight from the wiped text, never through a String.
     */
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
        String iterations = value(text, starts[3], ends[3], KEYS[2]);
        String token = value(text, starts[4], ends[4], KEYS[3]);
        byte[] salt = KeyCheck.parseHex(value(text, starts[2], ends[2], KEYS[1]), Kdf.SALT_SIZE_IN_BYTES);
        int keyAt = starts[1] + KEYS[0].length() + 1;
        byte[] key = ends[1] - keyAt == 2 * Kdf.KEY_SIZE_IN_BYTES ? KeyCheck.parseHex(text, keyAt, Kdf.KEY_SIZE_IN_BYTES) : null;
        if (key == null || salt == null || !iterations.matches("[1-9][0-9]{0,8}") || Token.parse(token) == null) {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
            throw new PasssafeException.NoSession(file, NOT_A_SESSION);
        }
        return new Contents(key, salt, Integer.parseInt(iterations), token, value(text, starts[6], ends[6], KEYS[5]), file);
    }

    /** The value of the line {@code name value} at [start, end). */
    private static String value(char[] text, int start, int end, String name) {
        return new String(text, start + name.length() + 1, end - start - name.length() - 1);
    }

    private static boolean startsWith(char[] text, int at, String prefix) {
        return at + prefix.length() <= text.length && CharBuffer.wrap(text, at, prefix.length()).toString().equals(prefix);
    }

    /** Null when {@code file} is a regular file of this user's that only this user may read; otherwise why not. */
    static String untrusted(Path file) {
        return SocketDirectory.untrusted(file, false, OWNER_ONLY);
    }
}
