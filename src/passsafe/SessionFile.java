package passsafe;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Session mode's file ({@code passsafe --session}): the passphrase, the token and the URL, in the
 * user's private socket directory, so that the user's own programs (a notebook kernel, which has
 * no terminal) find them with no credential in their code. Created 0600 before a byte is written,
 * and removed at every end of the safe, like the socket beside it.
 */
final class SessionFile {
    static final String FIRST_LINE = "passsafe-session 1";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int MAX_BYTES = 1024;

    private SessionFile() {}

    static Path path(Path dir, int port) {
        return dir.resolve(port + ".session");
    }

    /** The passphrase and token a session file holds, with its URL. */
    static final class Contents implements AutoCloseable {
        final char[] passphrase;
        final String token;
        final String url;

        Contents(char[] passphrase, String token, String url) {
            this.passphrase = passphrase;
            this.token = token;
            this.url = url;
        }

        @Override
        public void close() {
            Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * Writes the session file for {@code port} in {@code dir}: created with mode 0600 and checked
     * to have it before anything is written; an existing file (another safe's, or a stale one) is
     * replaced only by a new one made the same way.
     *
     * @throws Failure when the file cannot be made private to this user
     */
    static Path write(Path dir, int port, char[] passphrase, byte[] token) throws Failure {
        Path file = path(dir, port);
        char[] text = text(passphrase, token, port);
        byte[] bytes = null;
        try {
            Files.deleteIfExists(file);
            try (SeekableByteChannel channel = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
                String why = untrusted(file);
                if (why != null) {
                    throw Messages.sessionFile(file, why);
                }
                bytes = Utf8.encode(text);
                channel.write(ByteBuffer.wrap(bytes));
            }
            return file;
        } catch (FileAlreadyExistsException raced) {
            throw Messages.sessionFile(file, Messages.SESSION_RACED);
        } catch (IOException | UnsupportedOperationException e) {
            throw Messages.sessionFile(file, e.getMessage());
        } finally {
            Arrays.fill(text, '\0');
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private static char[] text(char[] passphrase, byte[] token, int port) {
        String head = FIRST_LINE + "\npassphrase ";
        String tail = "\nurl http://localhost:" + port + "\n";
        char[] text = new char[head.length() + passphrase.length + "\ntoken ".length() + token.length + tail.length()];
        int at = 0;
        at = put(text, at, head);
        System.arraycopy(passphrase, 0, text, at, passphrase.length);
        at += passphrase.length;
        at = put(text, at, "\ntoken ");
        for (byte digit : token) {
            text[at++] = (char) digit;
        }
        put(text, at, tail);
        return text;
    }

    private static int put(char[] into, int at, String text) {
        text.getChars(0, text.length(), into, at);
        return at + text.length();
    }

    /**
     * The session of the safe at {@code url}, from the first private directory of this user that
     * holds one; null when there is none.
     *
     * @throws IllegalStateException when the file is not this user's alone, or is not a session file
     */
    static Contents find(Map<String, String> env, String url) {
        int port = port(url);
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
            throw new IllegalStateException(Messages.badSessionFile(file, why));
        }
        byte[] bytes = null;
        char[] text = null;
        try {
            bytes = Files.readAllBytes(file);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException(Messages.badSessionFile(file, Messages.NOT_A_SESSION));
            }
            text = Utf8.decode(bytes);
            return parse(text, file);
        } catch (IOException e) {
            throw new IllegalStateException(Messages.badSessionFile(file, e.getMessage()));
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
            if (text != null) {
                Arrays.fill(text, '\0');
            }
        }
    }

    /** Four lines: the first line, then passphrase, token and url, each "key value". */
    private static Contents parse(char[] text, Path file) {
        int[] ends = new int[4];
        int lines = 0;
        for (int i = 0; i < text.length && lines < 4; i++) {
            if (text[i] == '\n') {
                ends[lines++] = i;
            }
        }
        if (lines != 4 || !CharBuffer.wrap(text, 0, ends[0]).toString().equals(FIRST_LINE)
                || !startsWith(text, ends[0] + 1, "passphrase ") || !startsWith(text, ends[1] + 1, "token ") || !startsWith(text, ends[2] + 1, "url ")) {
            throw new IllegalStateException(Messages.badSessionFile(file, Messages.NOT_A_SESSION));
        }
        int start = ends[0] + 1 + "passphrase ".length();
        char[] passphrase = Arrays.copyOfRange(text, start, ends[1]);
        String token = new String(text, ends[1] + 1 + "token ".length(), ends[2] - ends[1] - 1 - "token ".length());
        String url = new String(text, ends[2] + 1 + "url ".length(), ends[3] - ends[2] - 1 - "url ".length());
        return new Contents(passphrase, token, url);
    }

    private static boolean startsWith(char[] text, int at, String prefix) {
        return at + prefix.length() <= text.length && CharBuffer.wrap(text, at, prefix.length()).toString().equals(prefix);
    }

    /** Null when {@code file} is a regular file of this user's that only this user may read; otherwise why not. */
    static String untrusted(Path file) {
        return SocketDirectory.untrusted(file, false, OWNER_ONLY);
    }

    /** Removes the file quietly, at the end of a safe. */
    static void remove(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException gone) {
            // gone already, or its directory with it
        }
    }

    /** The port of a loopback URL, as the client reads it; 80 when none is given (then no session matches). */
    static int port(String url) {
        try {
            int port = new URI(url.trim()).getPort();
            return port < 0 ? 80 : port;
        } catch (URISyntaxException e) {
            return -1;
        }
    }
}
