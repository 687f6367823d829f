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
final class SocketStream implements Closeable {
    /** Looks up who runs the process at the other end, as the transport can tell; null where it cannot. */
    interface PeerUser {
        UserPrincipal get() throws IOException;
    }

    interface Listener extends Closeable {
        SocketStream accept() throws IOException;
    }

    private final InputStream in;
    private final OutputStream out;
    private final PeerUser peer;
    private final Closeable connection;

    SocketStream(InputStream in, OutputStream out, PeerUser peer, Closeable connection) {
        this.in = in;
        this.out = out;
        this.peer = peer;
        this.connection = connection;
    }

    /** A connected TCP socket, whose peer's user is read elsewhere (from {@code /proc/net}). */
    static SocketStream of(Socket socket) throws IOException {
        return new SocketStream(socket.getInputStream(), socket.getOutputStream(), () -> null, socket);
    }

    Socket tcp() {
        return connection instanceof Socket ? (Socket) connection : null;
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    UserPrincipal peer() throws IOException {
        return peer.get();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
