package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void toString_isRedacted() {
        assertEquals("[REDACTED]", new Secret("hunter2".toCharArray()).toString());
        assertEquals("value=[REDACTED]", "value=" + new Secret("hunter2".toCharArray()));
    }

    @Test
    void close_wipesTheCharactersAndRefusesLaterUse() {
        char[] held = "hunter2".toCharArray();
        Secret secret = new Secret(held);
        assertArrayEquals("hunter2".toCharArray(), secret.chars());
        secret.close();
        assertArrayEquals(new char[7], held);
        IllegalStateException e = assertThrows(IllegalStateException.class, secret::chars);
        assertEquals("this passsafe.Secret is closed; ask the Client for it again", e.getMessage());
        secret.close();
    }

    @Test
    void use_wipesItsCopyEvenWhenTheActionThrows() {
        AtomicReference<char[]> seen = new AtomicReference<>();
        try (Secret secret = new Secret("hunter2".toCharArray())) {
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
            assertThrows(NotSerializableException.class, () -> out.writeObject(new Secret("hunter2".toCharArray())));
        }
    }
}
