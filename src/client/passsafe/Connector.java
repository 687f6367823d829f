package passsafe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Opens a connection to a safe and checks who holds its other end before anything is sent: the
 * private Unix-domain socket where this JVM has them and this user's directory holds one for the
 * port (its peer from {@code SO_PEERCRED}), else TCP on the loopback address (its peer from
 * {@code /proc/net}, on Linux). A listener of another user never gets the token.
 */
final class Connector {
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final LoopbackUrl url;
    /** A seam for the benchmark, which measures TCP beside the socket: false keeps to TCP. */
    volatile boolean socketAllowed = true;
    /** False for a safe known only by its socket, which is asked nowhere else. */
    volatile boolean tcpAllowed = true;

    Connector(LoopbackUrl url) {
        this.url = url;
    }

    static final class Opened {
        final SocketStream stream;
        final boolean viaSocket;

        Opened(SocketStream stream, boolean viaSocket) {
            this.stream = stream;
            this.viaSocket = viaSocket;
        }
    }

    /**
     * The private socket when there is one that answers, else TCP.
     *
     * @throws PasssafeException.UntrustedServer when another user holds the other end
     * @throws PasssafeException.NoServer or {@link PasssafeException.Timeout} when nothing answers
     */
    Opened open(Duration deadline) {
        Path socket = socketAllowed && UnixSockets.available() ? PrivateDirectory.find(System.getenv(), url.port, PrivateDirectory.Kind.SOCKET) : null;
        if (socket != null) {
            SocketStream stream = null;
            try {
                stream = UnixSockets.connect(socket);
                UserPrincipal peer = stream.peer();
                if (!PrivateDirectory.self().equals(peer)) {
                    Quietly.close(stream);
                    throw new PasssafeException.UntrustedServer(url.toString(), peer == null ? null : peer.getName());
                }
                return new Opened(stream, true);
            } catch (IOException stale) {
                // A socket left by a killed server: TCP will say whether a safe still serves.
                Quietly.close(stream);
            }
        }
        return new Opened(tcp(deadline), false);
    }

    /** A TCP connection whose other end belongs to this user, where the system can tell. */
    SocketStream tcp(Duration deadline) {
        if (!tcpAllowed) {
            throw new PasssafeException.NoServer(url.toString(), new ConnectException("nothing listens on its socket"));
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getByName(url.host), url.port),
                    CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
        } catch (SocketTimeoutException e) {
            Quietly.close(socket);
            throw new PasssafeException.Timeout(url.toString(), deadline, e);
        } catch (IOException e) {
            Quietly.close(socket);
            throw noServer(url, e instanceof ConnectException ? e : new ConnectException(e.getMessage()));
        }
        if (ProcNet.ownUid() >= 0) {
            OptionalInt owner = ProcNet.ownerOf((InetSocketAddress) socket.getRemoteSocketAddress(),
                    (InetSocketAddress) socket.getLocalSocketAddress());
            PasssafeException refusal = refusal(owner, owner.isPresent() ? Set.of() : ProcNet.listeners(url.port), ProcNet.ownUid(), url);
            if (refusal != null) {
                Quietly.close(socket);
                throw refusal;
            }
        }
        try {
            return SocketStream.of(socket);
        } catch (IOException e) {
            Quietly.close(socket);
            throw new PasssafeException.NoServer(url.toString(), e);
        }
    }

    /** What a client is told when no safe answers at {@code url}: how the last one there ended, if it left a record. */
    static PasssafeException noServer(LoopbackUrl url, IOException cause) {
        PasssafeException ended = EndedNote.find(System.getenv(), url.port);
        return ended != null ? ended : new PasssafeException.NoServer(url.toString(), cause);
    }

    /**
     * Null when the server's end of a new connection belongs to this user; otherwise what to tell the
     * caller. No row for the connection while only this user listens on the port is crowding: the
     * server closes connections over its cap before anything is read, so the row is gone by the
     * time it is looked for. No listener at all is a safe that closed its port just after the
     * connection was made: what its record says, if it left one. Any other user's listener is the alarm.
     */
    static PasssafeException refusal(OptionalInt owner, Set<Integer> listeners, int ownUid, LoopbackUrl url) {
        if (owner.isPresent()) {
            return owner.getAsInt() == ownUid ? null : new PasssafeException.UntrustedServer(url.toString(), "uid " + owner.getAsInt());
        }
        if (listeners.isEmpty()) {
            return noServer(url, new ConnectException("nothing listens on the port any more"));
        }
        if (listeners.equals(Set.of(ownUid))) {
            return new PasssafeException.NoServer(url.toString());
        }
        return new PasssafeException.UntrustedServer(url.toString(), null);
    }
}
