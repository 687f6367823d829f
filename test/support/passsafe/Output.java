package passsafe;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A standard output that records what is written and lets a test wait for what it expects, without polling. */
final class Output extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** Why nothing more will be written, once the writer has finished; null while it may still write. */
    private String finished;

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    /** All written so far, byte for byte. */
    synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    /** All written so far, as UTF-8. */
    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }

    /** Says that the writer has finished, and how: a wait for what never came fails at once with it. */
    synchronized void finished(String how) {
        finished = how;
        notifyAll();
    }

    /** Waits until the output contains {@code expected} and returns all of it; fails after {@code timeout}. */
    synchronized String await(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!text().contains(expected)) {
            long left = deadline - System.nanoTime();
            if (finished != null) {
                throw new AssertionError("no '" + expected + "' before the writer finished (" + finished + "); printed:\n" + text());
            }
            if (left <= 0) {
                throw new AssertionError("no '" + expected + "' within " + timeout.toSeconds() + " s; printed:\n" + text());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return text();
    }
}
