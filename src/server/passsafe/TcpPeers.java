package passsafe;

import java.net.InetSocketAddress;
import java.util.OptionalInt;

/**
 * Who is at the other end of a loopback TCP connection, from {@code /proc/net}: read once per
 * connection, when the gate first asks, since a connection's two ends cannot change while it is
 * open; a request the gate refuses for its {@code Host} or its browser headers costs no read.
 */
final class TcpPeers {
    private final int ownUid;

    TcpPeers(int ownUid) {
        this.ownUid = ownUid;
    }

    Request.Peer peer(InetSocketAddress server, InetSocketAddress client) {
        return new Request.Peer() {
            private Refusal refusal;
            private boolean read;

            @Override
            public synchronized Refusal refusal() {
                if (!read) {
                    OptionalInt owner = ProcNet.ownerOf(client, server);
                    refusal = owner.isEmpty() ? Refusal.UNKNOWN_USER : owner.getAsInt() != ownUid ? Refusal.OTHER_USER : null;
                    read = true;
                }
                return refusal;
            }
        };
    }
}
