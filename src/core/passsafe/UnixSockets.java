package passsafe;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Unix-domain sockets, which the JDK has from 16 on. This is the version for older JDKs, which
 * have none: clients use TCP and the server serves TCP only, saying so at start. The jar's
 * {@code META-INF/versions/16/} holds the version that has them.
 */
final class UnixSockets {
    private static final String NONE = "this JDK has no Unix-domain sockets (they need JDK 16 or newer)";

    private UnixSockets() {}

    static boolean available() {
        return false;
    }

    static SocketStream.Listener listen(Path path) throws IOException {
        throw new IOException(NONE);
    }

    static SocketStream connect(Path path) throws IOException {
        throw new IOException(NONE);
    }
}
