package passsafe;

import java.io.Closeable;
import java.io.IOException;

/** Closing what is being given up anyway: a failure to close says nothing anyone can act on. */
final class Quietly {
    private Quietly() {}

    static void close(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException nothingMoreToRelease) {
            // closing was all that was wanted
        }
    }
}
