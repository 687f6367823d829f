package passsafe;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The safe's TCP front end, for clients on JDK 11 to 15 and in other languages: a {@link FrontEnd}
 * on {@code 127.0.0.1:PORT} and another on {@code [::1]:PORT} (where there is IPv6), both held for
 * the safe's whole life so no one else can take either, each peer's user read from
 * {@code /proc/net} ({@link TcpPeers}). The port is bound by {@link #listen} before anything is
 * asked, so a busy port fails fast and nothing typed is wasted.
 */
final class TcpServer implements AutoCloseable {
    private static final int BIND_ATTEMPTS = 5;

    private final List<ServerSocket> sockets;
    private final List<FrontEnd> fronts = new ArrayList<>();

    private TcpServer(List<ServerSocket> sockets, int ownUid) {
        this.sockets = sockets;
        TcpPeers peers = new TcpPeers(ownUid);
        for (ServerSocket socket : sockets) {
            fronts.add(new FrontEnd(listener(socket), stream -> {
                Socket tcp = stream.tcp();
                return peers.peer((InetSocketAddress) tcp.getLocalSocketAddress(), (InetSocketAddress) tcp.getRemoteSocketAddress());
            }, false));
        }
    }

    private static SocketStream.Listener listener(ServerSocket socket) {
        return new SocketStream.Listener() {
            @Override
            public SocketStream accept() throws IOException {
                Socket accepted = socket.accept();
                accepted.setTcpNoDelay(true);
                return SocketStream.of(accepted);
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    /**
     * Binds {@code 127.0.0.1:port} and {@code [::1]:port} (where there is IPv6); throws
     * {@link BindException} if either is taken. Port 0 picks one free on both.
     */
    static TcpServer bind(int port, int ownUid) throws IOException {
        for (int attempt = 1; ; attempt++) {
            ServerSocket v4 = new ServerSocket(port, 16, InetAddress.getByName("127.0.0.1"));
            if (!Ipv6.LOOPBACK) {
                return new TcpServer(List.of(v4), ownUid);
            }
            try {
                return new TcpServer(List.of(v4, new ServerSocket(v4.getLocalPort(), 16, InetAddress.getByName("::1"))), ownUid);
            } catch (IOException e) {
                v4.close();
                if (port != 0 || attempt == BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static final class Ipv6 {
        static final boolean LOOPBACK = probe();

        private static boolean probe() {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
                return probe.isBound();
            } catch (IOException noIpv6) {
                return false;
            }
        }
    }

    /**
     * Binds, and refuses a port another user listens on too: on an address such as {@code 0.0.0.0}
     * such a program would still catch the clients that try it.
     */
    static TcpServer listen(int port, int ownUid) throws CannotServe {
        TcpServer server;
        try {
            server = bind(port, ownUid);
        } catch (BindException e) {
            throw portTaken(port, ProcNet.otherListener(port, ownUid));
        } catch (IOException e) {
            throw new CannotServe("cannot listen on port " + port + ": " + e.getMessage(), "choose another port with --port N");
        }
        OptionalInt squatter = ProcNet.otherListener(server.port(), ownUid);
        if (squatter.isPresent()) {
            server.close();
            throw portTaken(port, squatter);
        }
        return server;
    }

    private static CannotServe portTaken(int port, OptionalInt otherUid) {
        if (otherUid.isPresent()) {
            return new CannotServe("port " + port + " is already in use by another user (uid " + otherUid.getAsInt() + ")",
                    "that program may be waiting to catch your token; choose another port with --port N and tell the host's administrator");
        }
        return new CannotServe("port " + port + " is already in use",
                "stop the other safe, or choose another port with --port N (clients then add the URL http://localhost:N)");
    }

    int port() {
        return sockets.get(0).getLocalPort();
    }

    /**
     * Starts answering through {@code handler}, before the safe exists, so that starting threads
     * and loading classes happen while the user types.
     */
    void start(Handler handler) {
        fronts.forEach(front -> front.start(handler));
    }

    /** Stops accepting, lets the answers under way (a stop's, say) finish for up to a second, and closes. */
    @Override
    public void close() {
        fronts.forEach(FrontEnd::close);
        sockets.forEach(Quietly::close);
    }
}
