package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LoopbackUrlTest {
    @ParameterizedTest
    @CsvSource({
        "http://localhost:8051,        http://localhost:8051,   localhost:8051",
        "http://LOCALHOST:8051,        http://localhost:8051,   localhost:8051",
        "HTTP://LocalHost:8051/,       http://localhost:8051,   localhost:8051",
        "' http://127.0.0.1:9000// ',  http://127.0.0.1:9000,   127.0.0.1:9000",
        "http://[::1]:8052,            http://[::1]:8052,       [::1]:8052",
    })
    void parse_loopbackUrl_oneCanonicalFormForConnectingAndTheHostHeader(String typed, String canonical, String hostHeader) {
        LoopbackUrl url = LoopbackUrl.parse(typed);
        assertEquals(canonical, url.toString());
        assertEquals(hostHeader, url.hostHeader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost", "http://localhost:0", "https://localhost:8051", "http://example.com:8051",
        "http://0.0.0.0:8051", "http://user@localhost:8051", "http://localhost:8051/v1/secret", "http://localhost:8051?x=1",
        "http://localhost:8051#x", "localhost:8051", "", "http://[::2]:8051", "http://127.0.0.2:8051",
        // found by the fuzz target loopbackUrl_ruleOrCanonical: java.net.URI takes any port that fits an int
        "http://localhost:65536", "HTTP://[::1]:4444441/",
        // and that java.net.URI throws NumberFormatException for, with the input in its message
        "http://[::1333333333333333333333333.3]:8051"})
    void parse_anythingElse_refusedWithTheRule(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoopbackUrl.parse(url));
        assertEquals(LoopbackUrl.RULE, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8051, 65535})
    void localhost_port_isTheDefaultHostsUrl(int port) {
        assertEquals("http://localhost:" + port, LoopbackUrl.localhost(port).toString());
        assertEquals(port, LoopbackUrl.parse(LoopbackUrl.localhost(port).toString()).port);
    }
}
