package passsafe;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.attribute.UserPrincipal;

/**
 * One connection, TCP or Unix-domain, as the two streams the HTTP code reads and writes, the user
 * at the other end where the transport can tell, and a {@link #close()} that any thread may call
 * to end a read that takes too long.
 */
interface SocketStream extends Closeable {
    InputStream in();

    OutputStream out();

    /** The user running the process at the other end, or null where the transport cannot tell. */
    UserPrincipal peer() throws IOException;

    /** A listening socket that hands out the connections made to it. */
    interface Listener extends Closeable {
        SocketStream accept() throws IOException;
    }

    /** A connected TCP socket, whose peer's user is read elsewhere (from {@code /proc/net}). */
    static SocketStream of(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        return new SocketStream() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public UserPrincipal peer() {
                return null;
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }
}
