package passsafe;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Any bytes as a server's answer, as a client reads a server it cannot yet trust: an answer, the
 * exception that explains it, or a refusal, each in one line, and never another exception.
 */
class ResponseFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void anyAnswer_readOrRefused(byte[] input) {
        InputStream in = new ByteArrayInputStream(input);
        try {
            for (Response response = Response.read(in, "/v1/status"); response != null; response = Response.read(in, "/v1/status")) {
                try {
                    Protocol.Status.parse(response.ok());
                } catch (PasssafeException explained) {
                    FuzzChecks.oneLine(explained.getMessage());
                }
            }
        } catch (PasssafeException.UnsupportedServer refused) {
            FuzzChecks.oneLine(refused.getMessage());
        } catch (IOException cutShort) {
            FuzzChecks.oneLine(cutShort.getMessage());
        }
    }
}
