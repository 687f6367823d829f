package passsafe;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import jdk.net.ExtendedSocketOptions;

/**
 * A floor for {@link Bench}: what any JDK program must do for a session get, with no passsafe code
 * on its class path: a Unix-domain connection to the safe's socket ({@code args[0]}) with its
 * peer's credentials, one SHA-256, one AES-GCM decryption. Its time, beside the JVM's own, is the
 * share of a session get that passsafe's code cannot remove.
 */
final class JdkFloor {
    private JdkFloor() {}

    public static void main(String[] args) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(args[0]));
            channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        }
        MessageDigest.getInstance("SHA-256").digest(new byte[32]);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, new byte[12]));
        try {
            cipher.doFinal(new byte[48]);
        } catch (AEADBadTagException expected) {
            return; // the whole decryption ran: the tag is checked last
        }
        throw new AssertionError("a tag of zeros held");
    }
}
