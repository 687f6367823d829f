package passsafe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The safe's private front end, the way ssh-agent serves: a {@link FrontEnd} on a Unix-domain
 * socket in a directory only this user may enter, each peer's user checked with {@code
 * SO_PEERCRED}. No other user can open a connection to it, so none can crowd the owner out, and
 * no {@code /proc/net} table is read.
 */
final class UnixServer implements AutoCloseable {
    private final Path socket;
    private final Object socketKey;
    private final FrontEnd front;

    private UnixServer(Path socket, SocketStream.Listener listener, UserPrincipal self) throws IOException {
        this.socket = socket;
        this.socketKey = key(socket);
        this.front = new FrontEnd(listener, stream -> peer(stream, self), true);
    }

    private static Request.Peer peer(SocketStream stream, UserPrincipal self) {
        UserPrincipal peer;
        try {
            peer = stream.peer();
        } catch (IOException unknown) {
            return () -> Refusal.UNKNOWN_USER;
        }
        return () -> self.equals(peer) ? null : Refusal.OTHER_USER;
    }

    /**
     * Listens on the socket for {@code port} in this user's private directory, replacing a stale
     * socket that nothing answers on; null where this JVM has no Unix-domain sockets.
     */
    static UnixServer listen(Map<String, String> env, int port, Consumer<String> notes) throws CannotServe {
        if (!UnixSockets.available()) {
            return null;
        }
        Path socket = PrivateDirectory.Kind.SOCKET.in(Server.directory(env, notes), port);
        try {
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                replaceStale(socket);
            }
            return new UnixServer(socket, UnixSockets.listen(socket), PrivateDirectory.self());
        } catch (IOException e) {
            throw new CannotServe("cannot listen on " + socket + ": " + e.getMessage(), "choose another port with --port N");
        }
    }

    /** A socket left by a killed server answers nothing: it is removed. One that answers is another safe's. */
    private static void replaceStale(Path socket) throws IOException, CannotServe {
        SocketStream live;
        try {
            live = UnixSockets.connect(socket);
        } catch (IOException refused) {
            Files.deleteIfExists(socket);
            return;
        }
        Quietly.close(live);
        throw new CannotServe("another safe of yours already answers on " + socket, "stop it with passsafe stop, or choose another port with --port N");
    }

    Path socket() {
        return socket;
    }

    void start(Handler handler) {
        front.start(handler);
    }

    /** Stops listening and removes the socket, unless another safe has put its own there since. */
    @Override
    public void close() {
        front.close();
        try {
            if (Objects.equals(socketKey, key(socket))) {
                PrivateDirectory.remove(socket);
            }
        } catch (IOException gone) {
            PrivateDirectory.remove(socket);
        }
    }

    /** The file's identity (device and inode on Linux), to tell our socket from a newer one at the same path. */
    private static Object key(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
