package passsafe;

import java.util.Arrays;

/** One secret as the safe holds it: its envelope, its version, and what its consumers reported. */
final class Held {
    byte[] envelope;
    /** The count of replacements when it was set: 0 for a secret sealed at the start. */
    int version;
    /** When the database refused it, in seconds since the epoch; 0 while it has not. */
    long rejectedAt;
    /** Whether a consumer reported it working since it was set. */
    boolean proven;
    /** Whether it is out on trial, since {@link #trialSince} (nanoTime). */
    boolean onTrial;
    long trialSince;

    Held(byte[] envelope) {
        this.envelope = envelope;
    }

    /** Handed out on trial now: other reporting consumers wait for its verdict. */
    void startTrial() {
        onTrial = true;
        trialSince = System.nanoTime();
    }

    /** The database refused it, at {@code epochSeconds} unless it had already. */
    void reject(long epochSeconds) {
        rejectedAt = rejectedAt != 0 ? rejectedAt : epochSeconds;
        proven = false;
        onTrial = false;
    }

    /** A consumer logged in with it. */
    void accept() {
        proven = true;
        onTrial = false;
    }

    /** A new value: a new version, and nothing reported of it yet. */
    void set(byte[] replacement, int version) {
        Arrays.fill(envelope, (byte) 0);
        envelope = replacement;
        this.version = version;
        rejectedAt = 0;
        proven = false;
        onTrial = false;
    }
}
