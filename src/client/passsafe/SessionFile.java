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
 * Session mode's file ({@code passsafe --session}) as clients read it: the passphrase, the token
 * and the URL, in the user's private socket directory, so that the user's own programs (a
 * notebook kernel, which has no terminal) find them with no credential in their code. The server
 * writes it ({@link SessionWriter}) 0600 before a byte is in it; a client uses it only while it
 * is a regular file of this user's that no one else may read.
 */
final class SessionFile {
    static final String FIRST_LINE = "passsafe-session 1";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final String NOT_A_SESSION = "it is not a passsafe session file";
    private static final int MAX_BYTES = 1024;

    private SessionFile() {}

    static Path path(Path dir, int port) {
        return dir.resolve(port + ".session");
    }

    /** The passphrase and token a session file holds, the id of the safe that wrote it, and where it is. */
    static final class Contents implements AutoCloseable {
        final char[] passphrase;
        final String token;
        /** Null in a file of a passsafe before 0.2, which no live safe confirms. */
        final String session;
        final Path file;

        Contents(char[] passphrase, String token, String session, Path file) {
            this.passphrase = passphrase;
            this.token = token;
            this.session = session;
            this.file = file;
        }

        @Override
        public void close() {
            Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * The session of the safe on {@code port}, from the first private directory of this user that
     * holds one; null when there is none.
     *
     * @throws IllegalStateException when the file is not this user's alone, or is not a session file
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
            throw new IllegalStateException(unusable(file, why));
        }
        byte[] bytes = null;
        char[] text = null;
        try {
            bytes = Files.readAllBytes(file);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException(unusable(file, NOT_A_SESSION));
            }
            text = Utf8.decode(bytes);
            return parse(text, file);
        } catch (CharacterCodingException notText) {
            throw new IllegalStateException(unusable(file, NOT_A_SESSION));
        } catch (IOException e) {
            throw new IllegalStateException(unusable(file, e.getMessage()));
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
            if (text != null) {
                Arrays.fill(text, '\0');
            }
        }
    }

    /** Five lines: the first line, then passphrase, token, url and session, each "key value" (an older file has no session). */
    private static Contents parse(char[] text, Path file) {
        int[] ends = new int[5];
        int lines = 0;
        for (int i = 0; i < text.length && lines < 5; i++) {
            if (text[i] == '\n') {
                ends[lines++] = i;
            }
        }
        if (lines < 4 || !CharBuffer.wrap(text, 0, ends[0]).toString().equals(FIRST_LINE)
                || !startsWith(text, ends[0] + 1, "passphrase ") || !startsWith(text, ends[1] + 1, "token ") || !startsWith(text, ends[2] + 1, "url ")) {
            throw new IllegalStateException(unusable(file, NOT_A_SESSION));
        }
        int start = ends[0] + 1 + "passphrase ".length();
        char[] passphrase = Arrays.copyOfRange(text, start, ends[1]);
        String token = new String(text, ends[1] + 1 + "token ".length(), ends[2] - ends[1] - 1 - "token ".length());
        String session = lines == 5 && startsWith(text, ends[3] + 1, "session ")
                ? new String(text, ends[3] + 1 + "session ".length(), ends[4] - ends[3] - 1 - "session ".length()) : null;
        return new Contents(passphrase, token, session, file);
    }

    /**
     * The session of the safe that answers at {@code url}: its file, checked against the id the
     * safe sends with its status before any token leaves this process. Null when there is no file.
     *
     * @throws IllegalStateException when the file is unusable, or a safe that has ended left it
     *     (killed before it could remove it): it is ignored and no attempt is spent
     * @throws PasssafeException when no safe answers, or it answers something else
     */
    static Contents live(Map<String, String> env, LoopbackUrl url) {
        Contents session = find(env, url.port);
        if (session == null) {
            return null;
        }
        Transport transport = new Transport(url);
        try {
            String live = Protocol.Status.parse(transport.send("GET", Protocol.Endpoint.STATUS.path, null).ok()).session;
            if (session.session == null || !session.session.equals(live)) {
                session.close();
                throw new IllegalStateException("the session file " + session.file + " was left by a safe that has ended, not by the one at " + url
                        + "; no token was sent: start the safe with passsafe --session, or give the passphrase and token");
            }
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        } finally {
            transport.close();
        }
    }

    private static String unusable(Path file, String why) {
        return "the session file " + file + " cannot be used: " + why + "; remove it and start the safe again with passsafe --session";
    }

    private static boolean startsWith(char[] text, int at, String prefix) {
        return at + prefix.length() <= text.length && CharBuffer.wrap(text, at, prefix.length()).toString().equals(prefix);
    }

    /** Null when {@code file} is a regular file of this user's that only this user may read; otherwise why not. */
    static String untrusted(Path file) {
        return SocketDirectory.untrusted(file, false, OWNER_ONLY);
    }
}
