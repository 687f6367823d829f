package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Any text, in either byte order, as a {@code /proc/net/tcp} table: malformed rows skipped, every row kept well-formed, and no exception. */
class ProcNetFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void anyTable_rowsSkippedOrWellFormed(byte[] input) throws IOException {
        String table = new String(input, StandardCharsets.ISO_8859_1);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            check(table, order);
        }
    }

    private static void check(String table, ByteOrder order) throws IOException {
        List<ProcNet.Row> rows = new ArrayList<>();
        boolean stopped = ProcNet.scan(new BufferedReader(new StringReader(table)), order, row -> !rows.add(row));
        assertTrue(!stopped, "the visitor never stops the scan");
        for (ProcNet.Row row : rows) {
            assertTrue(row.localAddress.length == 4 || row.localAddress.length == 16, "an address of " + row.localAddress.length + " bytes");
            assertEquals(row.localAddress.length, row.remoteAddress.length, "a row with an IPv4 and an IPv6 end");
            assertTrue(row.localPort >= 0 && row.localPort <= 65535 && row.remotePort >= 0 && row.remotePort <= 65535,
                    () -> "a port out of range: " + row.localPort + ", " + row.remotePort);
            assertTrue(row.uid >= 0, "a negative uid");
        }
    }
}
