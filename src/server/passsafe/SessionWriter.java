package passsafe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * Writes session mode's file ({@code passsafe --session}), in the format {@link SessionFile}
 * reads, beside the safe's socket; it is removed at every end of the safe the process sees.
 */
final class SessionWriter {
    private SessionWriter() {}

    /**
     * Writes the session file for {@code port} in {@code dir}: created with mode 0600 and checked
     * to have it before anything is written; an existing file (another safe's, or a stale one) is
     * replaced only by a new one made the same way.
     *
     * @throws CannotServe when the file cannot be made private to this user
     */
    static Path write(Path dir, int port, Sealer sealer, byte[] token, String session) throws CannotServe {
        Path file = SessionFile.path(dir, port);
        char[] text = text(sealer, token, port, session);
        byte[] bytes = null;
        try {
            Files.deleteIfExists(file);
            try (SeekableByteChannel channel = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(SessionFile.OWNER_ONLY))) {
                String why = SessionFile.untrusted(file);
                if (why != null) {
                    throw unwritable(file, why);
                }
                bytes = Utf8.encode(text);
                channel.write(ByteBuffer.wrap(bytes));
            }
            return file;
        } catch (FileAlreadyExistsException raced) {
            throw unwritable(file, "another program made it while this one was being written");
        } catch (IOException | UnsupportedOperationException e) {
            throw unwritable(file, e.getMessage());
        } finally {
            Arrays.fill(text, '\0');
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * Version 2: the derived key, with its salt and iterations, rather than the passphrase, so a
     * client that reads the file skips the key derivation; it opens this safe's envelopes and no
     * other's, which whoever reads the file could do with the passphrase too.
     */
    private static char[] text(Sealer sealer, byte[] token, int port, String session) {
        byte[] key = sealer.key();
        try {
            String head = SessionFile.FIRST_LINE + "\nkey ";
            String middle = "\nsalt " + KeyCheck.hex(sealer.salt()) + "\niterations " + sealer.iterations() + "\ntoken ";
            String tail = "\nurl http://localhost:" + port + "\nsession " + session + "\n";
            char[] text = new char[head.length() + key.length * 2 + middle.length() + token.length + tail.length()];
            int at = put(text, 0, head);
            at = KeyCheck.hexInto(key, text, at);
            at = put(text, at, middle);
            for (byte digit : token) {
                text[at++] = (char) digit;
            }
            put(text, at, tail);
            return text;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static int put(char[] into, int at, String text) {
        text.getChars(0, text.length(), into, at);
        return at + text.length();
    }

    /**
     * Removes what a safe before this one on {@code port} left: a killed one's session file, which
     * would make the user's programs send a dead safe's token to this one, and an ended one's note.
     */
    static void removeStale(java.util.Map<String, String> env, int port) {
        for (Path dir : SocketDirectory.candidates(env)) {
            if (SocketDirectory.untrusted(dir) == null) {
                try {
                    Files.deleteIfExists(SessionFile.path(dir, port));
                    Files.deleteIfExists(EndedNote.path(dir, port));
                    Files.deleteIfExists(dir.resolve(port + ".log")); // a background safe's: its end is in the past
                } catch (IOException gone) {
                    // nothing there, or not ours to remove
                }
            }
        }
    }

    /** A fresh id for a session: random, nothing secret, 16 hex digits. */
    static String newId() {
        byte[] random = new byte[8];
        new java.security.SecureRandom().nextBytes(random);
        StringBuilder id = new StringBuilder();
        for (byte b : random) {
            id.append(String.format("%02x", b & 0xff));
        }
        return id.toString();
    }

    private static CannotServe unwritable(Path file, String why) {
        return new CannotServe("cannot write the session file " + file + ": " + why,
                "start the safe without --session, or set " + SocketDirectory.RUNTIME_DIR + " to a directory only you can enter");
    }
}
