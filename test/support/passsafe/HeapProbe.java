package passsafe;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A client process for {@link HeapDumpTest}: reads the passphrase, token and URL from standard
 * input (unbuffered, so no stream buffer keeps them), fetches the password with
 * {@code secret()}, uses and closes it, says "fetched"; on the next line closes the client and says
 * "closed"; exits at the end of input.
 */
final class HeapProbe {
    private static final InputStream IN = new FileInputStream(FileDescriptor.in);

    private HeapProbe() {}

    public static void main(String[] args) throws IOException {
        Client client = connect();
        try (Secret secret = client.secret()) {
            secret.use(password -> { });
        }
        say("fetched");
        readLine();
        client.close();
        // As Client.close() advises a program that must leave no key copy in the heap: the ciphers it made are garbage now.
        System.gc();
        say("closed");
        readLine();
    }

    /**
     * The passphrase read into a wiped array and given as one, never a String: a program's own
     * String would stay in the heap, and a dump of unreachable objects would show it.
     */
    private static Client connect() throws IOException {
        byte[] bytes = readBytes();
        char[] passphrase = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            passphrase[i] = (char) bytes[i];
        }
        Arrays.fill(bytes, (byte) 0);
        try {
            String token = readLine();
            Transport transport = new Transport(LoopbackUrl.parse(readLine()), Transport.DEFAULT_DEADLINE);
            return new Client(transport, token, new Opener(Passphrase.parse(java.nio.CharBuffer.wrap(passphrase)), Kdf.MIN_ITERATIONS), null);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static byte[] readBytes() throws IOException {
        byte[] line = new byte[256];
        int n = 0;
        for (int b = IN.read(); b != -1 && b != '\n' && n < line.length; b = IN.read()) {
            line[n++] = (byte) b;
        }
        byte[] bytes = Arrays.copyOf(line, n);
        Arrays.fill(line, (byte) 0);
        return bytes;
    }

    private static String readLine() throws IOException {
        byte[] line = new byte[256];
        int n = 0;
        for (int b = IN.read(); b != -1 && b != '\n' && n < line.length; b = IN.read()) {
            line[n++] = (byte) b;
        }
        String text = new String(line, 0, n, StandardCharsets.US_ASCII);
        Arrays.fill(line, (byte) 0);
        return text;
    }

    private static void say(String word) throws IOException {
        System.out.write((word + "\n").getBytes(StandardCharsets.US_ASCII));
        System.out.flush();
    }
}
