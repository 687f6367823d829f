package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SecretTest {
    private static Secret secret(String text) {
        return new Secret(Names.DEFAULT, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void toString_isRedacted() {
        assertEquals("[REDACTED]", secret("hunter2").toString());
        assertEquals("value=[REDACTED]", "value=" + secret("hunter2"));
    }

    @Test
    void close_wipesTheBytesAndRefusesLaterUse() {
        byte[] held = "hunter2".getBytes(StandardCharsets.UTF_8);
        Secret secret = new Secret(Names.DEFAULT, held);
        assertArrayEquals("hunter2".toCharArray(), secret.chars());
        assertArrayEquals("hunter2".getBytes(StandardCharsets.UTF_8), secret.bytes());
        secret.close();
        assertArrayEquals(new byte[7], held);
        IllegalStateException e = assertThrows(IllegalStateException.class, secret::chars);
        assertEquals("this passsafe.Secret is closed; ask the Client for it again", e.getMessage());
        assertThrows(IllegalStateException.class, secret::bytes);
        secret.close();
    }

    @Test
    void bytesThatAreNotText_givenByteForByte_refusedAsCharsInOneLine() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        try (Secret secret = new Secret("key", every.clone())) {
            assertArrayEquals(every, secret.bytes());
            PasssafeException.NotText e = assertThrows(PasssafeException.NotText.class, secret::chars);
            assertEquals("secret key is not text (a key or a file stored with --from-file): take its bytes with Secret.bytes(),"
                    + " passsafe get --secret key, or passsafe exec --file VAR=key", e.getMessage());
        }
    }

    @Test
    void use_wipesItsCopyEvenWhenTheActionThrows() {
        AtomicReference<char[]> seen = new AtomicReference<>();
        try (Secret secret = secret("hunter2")) {
            secret.use(seen::set);
            assertArrayEquals(new char[7], seen.get());
            assertThrows(IllegalArgumentException.class, () -> secret.use(chars -> {
                seen.set(chars);
                throw new IllegalArgumentException("boom");
            }));
            assertArrayEquals(new char[7], seen.get());
        }
    }

    @Test
    void secret_serialization_isRefused() throws Exception {
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            assertThrows(NotSerializableException.class, () -> out.writeObject(secret("hunter2")));
        }
    }
}
