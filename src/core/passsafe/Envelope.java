package passsafe;

import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * One sealed secret, as the server keeps it and sends it. The wire form is six ASCII lines:
 * <pre>
 * passsafe-envelope 1
 * name password
 * kdf pbkdf2-hmac-sha256 600000
 * salt BASE64(16 bytes)
 * nonce BASE64(12 bytes)
 * ciphertext BASE64(AES-256-GCM ciphertext and 16-byte tag)
 * </pre>
 * The first five lines, byte for byte, are the GCM associated data: a server that alters the
 * label, version, name or KDF parameters makes decryption fail. Parsing is strict (one canonical
 * spelling of every line) so that what is authenticated is exactly what was parsed.
 */
final class Envelope {
    static final String LABEL = "passsafe-envelope";
    static final int VERSION = 1;
    static final String KDF = "pbkdf2-hmac-sha256";
    static final int NONCE_SIZE_IN_BYTES = 12;
    static final int TAG_SIZE_IN_BITS = 128;
    static final int MAX_SIZE_IN_BYTES = 256 * 1024;
    /** The largest secret passsafe keeps, in bytes: sealed and base64-encoded it fits well under {@link #MAX_SIZE_IN_BYTES}. */
    static final int MAX_SECRET_BYTES = 64 * 1024;
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final Pattern ITERATIONS = Pattern.compile("[1-9][0-9]{0,9}");

    /** Made on first use: a client, which only opens envelopes, never seeds one. */
    private static final class Entropy {
        static final SecureRandom SECURE = new SecureRandom();
    }

    final String name;
    final int iterations;
    final byte[] salt;
    final byte[] nonce;
    final byte[] ciphertext;

    private Envelope(String name, int iterations, byte[] salt, byte[] nonce, byte[] ciphertext) {
        this.name = name;
        this.iterations = iterations;
        this.salt = salt;
        this.nonce = nonce;
        this.ciphertext = ciphertext;
    }

    static byte[] newSalt() {
        byte[] salt = new byte[Kdf.SALT_SIZE_IN_BYTES];
        Entropy.SECURE.nextBytes(salt);
        return salt;
    }

    static Envelope seal(String name, byte[] plaintext, byte[] key, byte[] salt, int iterations) {
        Names.check(name);
        byte[] nonce = new byte[NONCE_SIZE_IN_BYTES];
        Entropy.SECURE.nextBytes(nonce);
        Envelope header = new Envelope(name, iterations, salt.clone(), nonce, new byte[0]);
        try {
            byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, key, nonce, header.associatedData(), plaintext);
            return new Envelope(name, iterations, header.salt, nonce, ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** Returns the plaintext; the caller wipes it. A wrong key or any altered byte fails. */
    byte[] open(byte[] key) throws AEADBadTagException {
        try {
            return crypt(Cipher.DECRYPT_MODE, key, nonce, associatedData(), ciphertext);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private static byte[] crypt(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(CIPHER);
        AesKey aesKey = new AesKey(key);
        try {
            cipher.init(mode, aesKey, new GCMParameterSpec(TAG_SIZE_IN_BITS, nonce));
        } finally {
            aesKey.destroy();
        }
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    byte[] associatedData() {
        return header().getBytes(StandardCharsets.US_ASCII);
    }

    private String header() {
        Base64.Encoder base64 = Base64.getEncoder();
        return LABEL + " " + VERSION + "\n"
                + "name " + name + "\n"
                + "kdf " + KDF + " " + iterations + "\n"
                + "salt " + base64.encodeToString(salt) + "\n"
                + "nonce " + base64.encodeToString(nonce) + "\n";
    }

    byte[] encode() {
        String text = header() + "ciphertext " + Base64.getEncoder().encodeToString(ciphertext) + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    void wipe() {
        Arrays.fill(salt, (byte) 0);
        Arrays.fill(nonce, (byte) 0);
        Arrays.fill(ciphertext, (byte) 0);
    }

    /**
     * Parses the wire form, refusing anything but the canonical spelling and iteration counts
     * outside [minIterations, maxIterations], before any key is derived.
     */
    static Envelope parse(byte[] bytes, int minIterations, int maxIterations) {
        if (bytes.length > MAX_SIZE_IN_BYTES) {
            throw unsupported("an envelope of " + bytes.length + " bytes is too large");
        }
        String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n", -1);
        String[] first = lines[0].split(" ", -1);
        if (first.length != 2 || !first[0].equals(LABEL)) {
            throw unsupported("it is not a passsafe envelope");
        }
        if (!first[1].equals(Integer.toString(VERSION))) {
            throw unsupported("it is envelope version " + printable(first[1]) + " and this client reads only version " + VERSION);
        }
        if (lines.length != 7 || !lines[6].isEmpty()) {
            throw unsupported("the envelope does not have exactly six lines");
        }
        String name = field(lines[1], "name");
        if (!Names.valid(name)) {
            throw unsupported("the envelope's secret name is malformed");
        }
        int iterations = iterations(field(lines[2], "kdf"), minIterations, maxIterations);
        byte[] salt = base64(field(lines[3], "salt"), Kdf.SALT_SIZE_IN_BYTES);
        byte[] nonce = base64(field(lines[4], "nonce"), NONCE_SIZE_IN_BYTES);
        byte[] ciphertext = base64(field(lines[5], "ciphertext"), -1);
        if (ciphertext.length < TAG_SIZE_IN_BITS / 8) {
            throw unsupported("the ciphertext is shorter than its tag");
        }
        return new Envelope(name, iterations, salt, nonce, ciphertext);
    }

    private static String field(String line, String key) {
        if (!line.startsWith(key + " ")) {
            throw unsupported("the envelope has no '" + key + "' line where expected");
        }
        return line.substring(key.length() + 1);
    }

    private static int iterations(String kdf, int min, int max) {
        String[] parts = kdf.split(" ", -1);
        if (parts.length != 2 || !parts[0].equals(KDF)) {
            throw unsupported("the key derivation is not " + KDF);
        }
        if (!ITERATIONS.matcher(parts[1]).matches()) {
            throw unsupported("the iteration count is malformed");
        }
        long iterations = Long.parseLong(parts[1]);
        if (iterations < min || iterations > max) {
            throw unsupported("an iteration count of " + iterations + " is outside the accepted " + min + " to " + max
                    + ", so this may not be a genuine passsafe server");
        }
        return (int) iterations;
    }

    private static byte[] base64(String text, int size) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw unsupported("the envelope holds malformed base64");
        }
        // The JDK decoder accepts missing padding; re-encoding pins the one canonical spelling.
        if (!Base64.getEncoder().encodeToString(bytes).equals(text) || size >= 0 && bytes.length != size) {
            throw unsupported("the envelope holds a malformed field");
        }
        return bytes;
    }

    private static String printable(String s) {
        return s.length() <= 12 && s.matches("[0-9A-Za-z.]*") ? s : "(unreadable)";
    }

    private static PasssafeException.UnsupportedServer unsupported(String what) {
        return new PasssafeException.UnsupportedServer(what);
    }

    @Override
    public String toString() {
        return "Envelope[name=" + name + ", iterations=" + iterations + "]";
    }
}
