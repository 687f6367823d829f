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
 * {@code passwordChars()}, wipes it, says "fetched"; on the next line closes the client and says
 * "closed"; exits at the end of input.
 */
final class HeapProbe {
    private static final InputStream IN = new FileInputStream(FileDescriptor.in);

    private HeapProbe() {}

    public static void main(String[] args) throws IOException {
        Client client = connect();
        char[] password = client.passwordChars();
        Arrays.fill(password, '\0');
        say("fetched");
        readLine();
        client.close();
        say("closed");
        readLine();
    }

    /** In its own frame, so the passphrase's String is unreachable once this returns. */
    private static Client connect() throws IOException {
        return new Client(readLine(), readLine(), readLine());
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
