package passsafe;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * An AES key the JDK's cipher can take without a copy that outlives it: {@code SecretKeySpec}
 * keeps its own copy of the key and has no way to wipe it; this one hands out copies and wipes its
 * own on {@link #destroy()}. What the JDK's AES code copies inside the cipher is garbage once the
 * cipher is, and goes with the next collection.
 */
final class AesKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final byte[] key;
    private boolean destroyed;

    AesKey(byte[] key) {
        this.key = key.clone();
    }

    @Override
    public String getAlgorithm() {
        return "AES";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public synchronized byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("this key is destroyed");
        }
        return key.clone();
    }

    @Override
    public synchronized void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "AesKey[REDACTED]";
    }
}
