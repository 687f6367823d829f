package passsafe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * A secret given as a file ({@code --from-file}): a private key, a credentials file, any bytes up
 * to {@link Envelope#MAX_SECRET_BYTES}. Checked when the command line is read, so a wrong path is
 * one line before anything is asked; read once, when it is sealed. passsafe never writes it
 * anywhere; the user's own copy is theirs to remove.
 */
final class SecretFile {
    private SecretFile() {}

    /** Null when {@code path} can be a secret; otherwise why not, in the words of a one-line error. */
    static String refusal(Path path) {
        String shown = "--from-file " + shown(path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return shown + ": no such file; give the path of the key or credentials file";
        } catch (IOException e) {
            return shown + " cannot be read: " + e.getClass().getSimpleName();
        }
        if (!attributes.isRegularFile()) {
            return shown + " is " + (attributes.isDirectory() ? "a directory" : "a FIFO, socket or device") + ", not a file; give the file itself";
        }
        if (attributes.size() == 0) {
            return shown + " is empty: an empty secret is never stored";
        }
        if (attributes.size() > Envelope.MAX_SECRET_BYTES) {
            return tooLarge(shown, attributes.size());
        }
        return Files.isReadable(path) ? null : shown + " cannot be read: you lack the permission to read it";
    }

    /**
     * The file's bytes, checked again as they are read (it may have changed since): the caller
     * wipes them.
     *
     * @throws Failure when it is no longer a file passsafe can keep
     */
    static byte[] read(Path path) throws Failure {
        String refusal = refusal(path);
        if (refusal != null) {
            throw Failure.of(refusal, null);
        }
        byte[] buffer = new byte[Envelope.MAX_SECRET_BYTES + 1];
        try (InputStream in = Files.newInputStream(path)) {
            int n = in.readNBytes(buffer, 0, buffer.length);
            if (n > Envelope.MAX_SECRET_BYTES || n == 0) {
                throw Failure.of(n == 0 ? "--from-file " + shown(path) + " is empty: an empty secret is never stored"
                        : tooLarge("--from-file " + shown(path), n), null);
            }
            return Arrays.copyOf(buffer, n);
        } catch (IOException e) {
            throw Failure.of("--from-file " + shown(path) + " cannot be read: " + e.getClass().getSimpleName(), null);
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }

    private static String shown(Path path) {
        return Printable.of(path.toString(), 4096);
    }

    private static String tooLarge(String shown, long size) {
        return shown + " has " + size + " bytes; a secret has at most " + Envelope.MAX_SECRET_BYTES;
    }
}
