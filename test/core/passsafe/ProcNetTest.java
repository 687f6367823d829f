package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcNetTest {
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    private static final String V4 = "0100007F";
    private static final String V6_LOOPBACK = "00000000000000000000000001000000";
    private static final String V4_MAPPED = "0000000000000000FFFF00000100007F";

    private static InetSocketAddress at(String host, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static String row(String local, int localPort, String remote, int remotePort, String state, int uid) {
        return String.format("   0: %s:%04X %s:%04X %s 00000000:00000000 00:00000000 00000000 %5d        0 4242 1 0000000000000000 20 4 30 10 -1%n",
                local, localPort, remote, remotePort, state, uid);
    }

    @TempDir
    static Path dir;
    private static int tables;

    /** The rows as a table file, read by the same scanner the server and client run on /proc/net. */
    private static ProcNet.Tables table(String... rows) throws Exception {
        Path file = Files.writeString(dir.resolve("tcp" + tables++), HEADER + String.join("", rows));
        return new ProcNet.Tables(List.of(file, dir.resolve("missing-tcp6")), ByteOrder.LITTLE_ENDIAN);
    }

    /** Every row the scanner accepts, in order. */
    private static List<ProcNet.Row> rows(ProcNet.Tables tables) {
        List<ProcNet.Row> rows = new ArrayList<>();
        tables.scan(row -> !rows.add(row));
        return rows;
    }

    @Test
    void address_readsNativeWords() {
        assertArrayEquals(new byte[] {127, 0, 0, 1}, ProcNet.address(V4, ByteOrder.LITTLE_ENDIAN));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, ProcNet.address("7F000001", ByteOrder.BIG_ENDIAN));
        byte[] loopback6 = new byte[16];
        loopback6[15] = 1;
        assertArrayEquals(loopback6, ProcNet.address(V6_LOOPBACK, ByteOrder.LITTLE_ENDIAN));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, ProcNet.unmap(ProcNet.address(V4_MAPPED, ByteOrder.LITTLE_ENDIAN)));
    }

    @Test
    void ownerOf_ipv4Row_curlStyle() throws Exception {
        ProcNet.Tables rows = table(
                row(V4, 8051, "00000000", 0, ProcNet.LISTEN, 1000),
                row(V4, 8051, V4, 54321, ProcNet.ESTABLISHED, 1000),
                row(V4, 54321, V4, 8051, ProcNet.ESTABLISHED, 1001));
        assertEquals(OptionalInt.of(1001), rows.ownerOf(at("127.0.0.1", 54321), at("127.0.0.1", 8051)));
    }

    @Test
    void ownerOf_ipv4MappedRow_javaStyle() throws Exception {
        ProcNet.Tables rows = table(row(V4_MAPPED, 40000, V4_MAPPED, 8051, ProcNet.ESTABLISHED, 1002));
        assertEquals(OptionalInt.of(1002), rows.ownerOf(at("127.0.0.1", 40000), at("127.0.0.1", 8051)));
    }

    @Test
    void ownerOf_ipv6Row() throws Exception {
        ProcNet.Tables rows = table(row(V6_LOOPBACK, 40001, V6_LOOPBACK, 8051, ProcNet.ESTABLISHED, 1003));
        assertEquals(OptionalInt.of(1003), rows.ownerOf(at("::1", 40001), at("::1", 8051)));
        assertEquals(OptionalInt.empty(), rows.ownerOf(at("127.0.0.1", 40001), at("127.0.0.1", 8051)));
    }

    @Test
    void ownerOf_timeWaitRowsAreIgnored() throws Exception {
        ProcNet.Tables rows = table(row(V4, 40002, V4, 8051, "06", 0));
        assertEquals(OptionalInt.empty(), rows.ownerOf(at("127.0.0.1", 40002), at("127.0.0.1", 8051)));
    }

    @Test
    void ownerOf_aFourTupleNamesOneSocket_theFirstRowCounts() throws Exception {
        String same = row(V4, 40003, V4, 8051, ProcNet.ESTABLISHED, 1004);
        assertEquals(OptionalInt.of(1004), table(same, same).ownerOf(at("127.0.0.1", 40003), at("127.0.0.1", 8051)));
    }

    @Test
    void scan_aHugeTable_inFlatMemoryStoppingAtTheFirstMatch() throws Exception {
        // 200,000 TIME_WAIT rows, as another user can make for free, then the one that matters.
        StringBuilder rows = new StringBuilder(HEADER);
        String filler = row(V4, 40000, V4, 8051, "06", 65534);
        for (int i = 0; i < 200_000; i++) {
            rows.append(filler);
        }
        rows.append(row(V4, 40004, V4, 8051, ProcNet.ESTABLISHED, 1006)).append(row(V4, 40005, V4, 8051, ProcNet.ESTABLISHED, 1007));
        int[] seen = new int[1];
        ProcNet.Row[] found = new ProcNet.Row[1];
        boolean stopped = ProcNet.scan(new java.io.BufferedReader(new java.io.StringReader(rows.toString())), ByteOrder.LITTLE_ENDIAN, row -> {
            seen[0]++;
            found[0] = row.connects(at0("127.0.0.1", 40004), at0("127.0.0.1", 8051)) ? row : null;
            return found[0] != null;
        });
        assertTrue(stopped);
        assertEquals(1006, found[0].uid);
        assertEquals(200_001, seen[0], "stopped at the first match, before the last row");
    }

    private static InetSocketAddress at0(String host, int port) {
        try {
            return at(host, port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ownerOf_missingRow_isNone() throws Exception {
        assertEquals(OptionalInt.empty(), table().ownerOf(at("127.0.0.1", 1), at("127.0.0.1", 8051)));
    }

    @Test
    void scan_skipsMalformedRows() throws Exception {
        List<ProcNet.Row> rows = rows(table("garbage\n", "   1: 0100007F:zz 0100007F:1F73 01 0 0 0 1000\n", "   2: 0100007F 0100007F:1F73 01 0 0 0 0 7\n",
                row(V4, 1, V4, 2, ProcNet.ESTABLISHED, 7)));
        assertEquals(1, rows.size());
        assertEquals(7, rows.get(0).uid);
    }

    @Test
    void listeners_everyAddressOnThePort() throws Exception {
        ProcNet.Tables rows = table(
                row(V4, 8051, "00000000", 0, ProcNet.LISTEN, 1000),
                row(V6_LOOPBACK, 8051, "00000000000000000000000000000000", 0, ProcNet.LISTEN, 65534),
                row(V4, 8052, "00000000", 0, ProcNet.LISTEN, 1),
                row(V4, 8051, V4, 50000, ProcNet.ESTABLISHED, 2));
        assertEquals(Set.of(1000, 65534), rows.listeners(8051));
    }

    @Test
    void ownerOf_liveLoopbackConnection_isThisProcess() throws Exception {
        Assumptions.assumeTrue(ProcNet.available(), "no /proc/net on this system");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            assertTrue(client.isConnected());
            InetSocketAddress clientEnd = (InetSocketAddress) accepted.getRemoteSocketAddress();
            InetSocketAddress serverEnd = (InetSocketAddress) accepted.getLocalSocketAddress();
            assertEquals(OptionalInt.of(ProcNet.ownUid()), ProcNet.ownerOf(clientEnd, serverEnd));
            assertTrue(ProcNet.listeners(server.getLocalPort()).contains(ProcNet.ownUid()));
        }
    }
}
