package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/** Any bytes as a session file: refused with one line that names the file and the fix, or read into a well-formed key and token. */
class SessionFileFuzzTest {
    private static final Path FILE = Path.of("/run/user/1000/passsafe/8051.session");

    @FuzzTest(maxDuration = "2m")
    void anyBytes_refusedOrWellFormed(byte[] input) {
        try (SessionFile.Contents contents = SessionFile.parse(input, FILE)) {
            assertEquals(Kdf.KEY_SIZE_IN_BYTES, contents.key.length);
            assertEquals(Kdf.SALT_SIZE_IN_BYTES, contents.salt.length);
            assertTrue(contents.iterations > 0, "a non-positive iteration count");
            assertNotNull(Token.parse(contents.token), "a token that is not one");
            assertNotNull(contents.session);
        } catch (PasssafeException.NoSession refused) {
            FuzzChecks.oneLine(refused.getMessage());
            assertTrue(refused.getMessage().startsWith("the session file " + FILE + " cannot be used: "), refused.getMessage());
            assertTrue(refused.getMessage().endsWith("start the safe again with passsafe --session"), refused.getMessage());
        }
    }
}
