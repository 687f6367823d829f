package passsafe;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

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

    static final class Row {
        final byte[] localAddress;
        final int localPort;
        final byte[] remoteAddress;
        final int remotePort;
        final String state;
        final int uid;

        Row(byte[] localAddress, int localPort, byte[] remoteAddress, int remotePort, String state, int uid) {
            this.localAddress = localAddress;
            this.localPort = localPort;
            this.remoteAddress = remoteAddress;
            this.remotePort = remotePort;
            this.state = state;
            this.uid = uid;
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
        return Files.isReadable(Paths.get("/proc/net/tcp"));
    }

    /** This process's effective uid where sockets' owners can be read, else -1: read once. */
    static int ownUid() {
        return Self.UID;
    }

    /**
     * This process's real uid, read once from {@code /proc/self/status}; -1 where there is none.
     * The one name of this user that nothing the process was started with can change, as
     * {@code -Duser.name} or {@code JAVA_TOOL_OPTIONS} change {@code user.name}.
     */
    static int realUid() {
        return Self.REAL;
    }

    private static final class Self {
        static final int[] UIDS = uids();
        static final int REAL = UIDS[0];
        static final int UID = available() ? UIDS[1] : -1;
    }

    /** The real and the effective uid, from the status file's Uid line, read once; -1 each where there is none. */
    private static int[] uids() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    String[] fields = line.substring(4).trim().split("\\s+");
                    return new int[] {Integer.parseInt(fields[0]), Integer.parseInt(fields[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            return new int[] {-1, -1};
        }
        return new int[] {-1, -1};
    }

    static OptionalInt ownerOf(InetSocketAddress local, InetSocketAddress remote) {
        return Tables.SYSTEM.ownerOf(local, remote);
    }

    static Set<Integer> listeners(int port) {
        return Tables.SYSTEM.listeners(port);
    }

    /** The tables a lookup reads, and the byte order of their words: this system's, or a test's copies. */
    static final class Tables {
        static final Tables SYSTEM = new Tables(List.of(Paths.get("/proc/net/tcp"), Paths.get("/proc/net/tcp6")), ByteOrder.nativeOrder());

        private final List<Path> paths;
        private final ByteOrder order;

        Tables(List<Path> paths, ByteOrder order) {
            this.paths = paths;
            this.order = order;
        }

        OptionalInt ownerOf(InetSocketAddress local, InetSocketAddress remote) {
            Row[] found = new Row[1];
            // A 4-tuple names one socket at most, so the scan stops at the first match.
            scan(row -> {
                if (row.connects(local, remote)) {
                    found[0] = row;
                }
                return found[0] != null;
            });
            return found[0] == null ? OptionalInt.empty() : OptionalInt.of(found[0].uid);
        }

        /** The uids of every listening socket on {@code port}, on any address: the whole tables, a line at a time. */
        Set<Integer> listeners(int port) {
            Set<Integer> uids = new TreeSet<>();
            scan(row -> {
                if (row.state.equals(LISTEN) && row.localPort == port) {
                    uids.add(row.uid);
                }
                return false;
            });
            return uids;
        }

        /**
         * Shows {@code visitor} each row of every table, read a line at a time, until it returns true:
         * memory stays flat at any table size (another user can add rows for free: TIME_WAIT sockets).
         * An unreadable table counts as empty, so lookups fail closed.
         */
        void scan(Predicate<Row> visitor) {
            for (Path table : paths) {
                try (BufferedReader reader = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
                    if (ProcNet.scan(reader, order, visitor)) {
                        return;
                    }
                } catch (IOException e) {
                    // A missing tcp6 (IPv6 disabled) is normal; an empty result refuses.
                }
            }
        }
    }

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

    static boolean scan(BufferedReader table, ByteOrder order, Predicate<Row> visitor) throws IOException {
        table.readLine(); // the header
        for (String line = table.readLine(); line != null; line = table.readLine()) {
            Row row = row(line, order);
            if (row != null && visitor.test(row)) {
                return true;
            }
        }
        return false;
    }

    /** One row, or null when it is malformed: fields split by hand, since this runs for every row of a large table. */
    private static Row row(String line, ByteOrder order) {
        String[] f = new String[10];
        int n = 0;
        for (int i = 0; i < line.length() && n < f.length; ) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                f[n++] = line.substring(start, i);
            }
        }
        if (n < 8) {
            return null;
        }
        try {
            int localColon = f[1].indexOf(':');
            int remoteColon = f[2].indexOf(':');
            if (localColon != remoteColon) {
                return null; // one IPv4 end and one IPv6 end: no table the kernel writes
            }
            return new Row(address(f[1].substring(0, localColon), order), port(f[1].substring(localColon + 1)),
                    address(f[2].substring(0, remoteColon), order), port(f[2].substring(remoteColon + 1)),
                    f[3], uid(f[7]));
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /** A port as the kernel writes it, 4 hex digits; anything else is a malformed row (NumberFormatException). */
    private static int port(String hex) {
        if (hex.length() != 4 || Character.digit(hex.charAt(0), 16) < 0) {
            throw new NumberFormatException("not a port");
        }
        return Integer.parseInt(hex, 16);
    }

    private static int uid(String digits) {
        if (digits.isEmpty() || Character.digit(digits.charAt(0), 10) < 0) {
            throw new NumberFormatException("not a uid");
        }
        return Integer.parseInt(digits);
    }

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
