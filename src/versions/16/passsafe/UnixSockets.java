package passsafe;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import jdk.net.ExtendedSocketOptions;

/**
 * Unix-domain sockets (JDK 16+), with the peer's user from {@code SO_PEERCRED}: the kernel's word,
 * not anything the peer says. The version of this class for older JDKs has none.
 */
final class UnixSockets {
    private UnixSockets() {}

    static boolean available() {
        return true;
    }

    static SocketStream.Listener listen(Path path) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path), 16);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new SocketStream.Listener() {
            @Override
            public SocketStream accept() throws IOException {
                return stream(channel.accept());
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    static SocketStream connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            return stream(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SocketStream stream(SocketChannel channel) {
        return new SocketStream(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                () -> channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user(), channel);
    }
}
