package passsafe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who owns a loopback socket, read from Linux's {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 * Addresses there are hex words in the machine's native byte order; a Java client's IPv4 socket
 * appears IPv4-mapped ({@code ::ffff:127.0.0.1}) in tcp6, so addresses are compared after
 * unmapping. Every lookup fails closed: a missing or ambiguous row gives no owner.
 */
final class ProcNet {
    static final String ESTABLISHED = "01";
    /** A server's end just after the client's connect() returns, until the final ACK is processed. */
    static final String SYN_RECV = "03";
    static final String LISTEN = "0A";
    private static final Path[] TABLES = {Paths.get("/proc/net/tcp"), Paths.get("/proc/net/tcp6")};

    /** One row: the socket's two ends, its TCP state (hex), the uid that owns it and its inode. */
    static final class Row {
        final byte[] localAddress;
        final int localPort;
        final byte[] remoteAddress;
        final int remotePort;
        final String state;
        final int uid;
        final long inode;

        Row(byte[] localAddress, int localPort, byte[] remoteAddress, int remotePort, String state, int uid, long inode) {
            this.localAddress = localAddress;
            this.localPort = localPort;
            this.remoteAddress = remoteAddress;
            this.remotePort = remotePort;
            this.state = state;
            this.uid = uid;
            this.inode = inode;
        }

        /** An open connection between these ends: established, or a server's end still being set up (its uid is the listener's). */
        boolean connects(InetSocketAddress local, InetSocketAddress remote) {
            return (state.equals(ESTABLISHED) || state.equals(SYN_RECV))
                    && same(localAddress, localPort, local) && same(remoteAddress, remotePort, remote);
        }
    }

    private ProcNet() {}

    /** Whether this system has the tables at all (Linux does; macOS and Windows do not). */
    static boolean available() {
        return Files.isReadable(TABLES[0]);
    }

    /** This process's effective uid where sockets' owners can be read, else -1: read once. */
    static int ownUid() {
        return Self.UID;
    }

    private static final class Self {
        static final int UID = available() ? currentUid() : -1;
    }

    private static int currentUid() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The uid owning the established socket whose ends are {@code local} and {@code remote}. */
    static OptionalInt ownerOf(InetSocketAddress local, InetSocketAddress remote) {
        return ownerOf(read(), local, remote);
    }

    static OptionalInt ownerOf(List<Row> rows, InetSocketAddress local, InetSocketAddress remote) {
        Set<Integer> uids = new TreeSet<>();
        for (Row row : rows) {
            if (row.connects(local, remote)) {
                uids.add(row.uid);
            }
        }
        return uids.size() == 1 ? OptionalInt.of(uids.iterator().next()) : OptionalInt.empty();
    }

    /** The inode of the one established socket from {@code local} to {@code remote}, or -1. */
    static long inodeOf(List<Row> rows, InetSocketAddress local, InetSocketAddress remote) {
        Set<Long> inodes = new TreeSet<>();
        for (Row row : rows) {
            if (row.connects(local, remote)) {
                inodes.add(row.inode);
            }
        }
        return inodes.size() == 1 && inodes.iterator().next() > 0 ? inodes.iterator().next() : -1;
    }

    /** This process's file descriptor for socket {@code inode}, or -1. */
    static int fdOfSocket(long inode) {
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
    static boolean isSocket(int fd, long inode) {
        return ("socket:[" + inode + "]").equals(link(Paths.get("/proc/self/fd/" + fd)));
    }

    private static String link(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The uids of every listening socket on {@code port}, on any address. */
    static Set<Integer> listeners(int port) {
        return listeners(read(), port);
    }

    static Set<Integer> listeners(List<Row> rows, int port) {
        Set<Integer> uids = new TreeSet<>();
        for (Row row : rows) {
            if (row.state.equals(LISTEN) && row.localPort == port) {
                uids.add(row.uid);
            }
        }
        return uids;
    }

    /** A uid other than {@code uid} listening on {@code port}, if there is one. */
    static OptionalInt otherListener(int port, int uid) {
        if (uid < 0) {
            return OptionalInt.empty();
        }
        return listeners(port).stream().filter(owner -> owner != uid).mapToInt(Integer::intValue).findFirst();
    }

    private static boolean same(byte[] address, int port, InetSocketAddress end) {
        InetAddress other = end.getAddress();
        return other != null && port == end.getPort() && Arrays.equals(unmap(address), unmap(other.getAddress()));
    }

    /** {@code ::ffff:a.b.c.d} becomes {@code a.b.c.d}; anything else is returned as it is. */
    static byte[] unmap(byte[] address) {
        if (address.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff ? Arrays.copyOfRange(address, 12, 16) : address;
    }

    /**
     * Every row of both tables; an unreadable table counts as empty, so lookups fail closed.
     * Each read makes the kernel walk its whole connection hash table (about 5 ms on a host with a
     * 262,144-bucket table), which is why callers check each connection once, not each request.
     */
    static List<Row> read() {
        List<Row> rows = new ArrayList<>();
        for (Path table : TABLES) {
            try {
                rows.addAll(parse(new String(Files.readAllBytes(table), StandardCharsets.US_ASCII), ByteOrder.nativeOrder()));
            } catch (IOException e) {
                // A missing tcp6 (IPv6 disabled) is normal; an empty result refuses.
            }
        }
        return rows;
    }

    /** Parses one table; malformed rows are skipped. */
    static List<Row> parse(String table, ByteOrder order) {
        List<Row> rows = new ArrayList<>();
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                String[] local = f[1].split(":");
                String[] remote = f[2].split(":");
                rows.add(new Row(address(local[0], order), Integer.parseInt(local[1], 16),
                        address(remote[0], order), Integer.parseInt(remote[1], 16), f[3], Integer.parseInt(f[7]),
                        f.length > 9 ? Long.parseLong(f[9]) : -1));
            } catch (RuntimeException malformed) {
                // skip
            }
        }
        return rows;
    }

    /** 8 or 32 hex digits: 32-bit words, each in {@code order}. */
    static byte[] address(String hex, ByteOrder order) {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("not an address: " + hex);
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            long value = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
            for (int i = 0; i < 4; i++) {
                int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (3 - i);
                bytes[word * 4 + i] = (byte) (value >>> shift);
            }
        }
        return bytes;
    }
}
