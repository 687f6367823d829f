package passsafe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is at the other end of a loopback TCP connection, from {@code /proc/net}. Reading the tables
 * is slow, so each connection is checked once and then recognised by this server's own socket (its
 * descriptor and inode): while that descriptor is still that socket, the connection is the one
 * that was checked, since a 4-tuple cannot be reused while its socket exists.
 */
final class TcpPeers {
    private static final int MAX_REMEMBERED = 256;

    private final int ownUid;
    /** Checked connections: client address to {this server's socket descriptor, its inode}. */
    private final Map<String, long[]> checked = new ConcurrentHashMap<>();

    TcpPeers(int ownUid) {
        this.ownUid = ownUid;
    }

    /** The peer of the connection from {@code client} to {@code server}, checked only when the gate asks. */
    Request.Peer peer(InetSocketAddress server, InetSocketAddress client) {
        return () -> refusal(server, client);
    }

    private Refusal refusal(InetSocketAddress server, InetSocketAddress client) {
        String key = client.toString();
        long[] known = checked.get(key);
        if (known != null && isSocket((int) known[0], known[1])) {
            return null;
        }
        ProcNet.Row[] ends = ProcNet.ends(client, server);
        if (ends[0] == null) {
            return Refusal.UNKNOWN_USER;
        }
        if (ends[0].uid != ownUid) {
            return Refusal.OTHER_USER;
        }
        long inode = ends[1] == null ? -1 : ends[1].inode;
        int fd = inode <= 0 ? -1 : fdOfSocket(inode);
        if (fd >= 0) {
            if (checked.size() >= MAX_REMEMBERED) {
                checked.clear();
            }
            checked.put(key, new long[] {fd, inode});
        }
        return null;
    }

    /** This process's file descriptor for socket {@code inode}, or -1. */
    private static int fdOfSocket(long inode) {
        String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path fd : fds) {
                if (target.equals(link(fd))) {
                    return Integer.parseInt(fd.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Whether descriptor {@code fd} of this process is still socket {@code inode}: one system call.
     * A socket's 4-tuple cannot be reused while the socket exists, so a connection seen through
     * this socket is still the one whose owner was checked.
     */
    private static boolean isSocket(int fd, long inode) {
        return ("socket:[" + inode + "]").equals(link(Paths.get("/proc/self/fd/" + fd)));
    }

    private static String link(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
