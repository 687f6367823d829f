package passsafe;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's state: sealed envelopes by name, the token, and the attempt counter. Every check
 * and count happens under this object's lock, so however many wrong tokens arrive at once,
 * exactly {@link #MAX_ATTEMPTS} are counted before the safe locks and wipes its envelopes.
 * It holds no plaintext, key or passphrase: only ciphertext and the token.
 */
final class Safe {
    static final int MAX_ATTEMPTS = 3;

    /** Where a safe stands; only {@link #OPEN} hands out envelopes. */
    enum State {
        OPEN("open"),
        LOCKED("locked after " + MAX_ATTEMPTS + " invalid tokens"),
        EXPIRED("its storage duration has expired"),
        INTERRUPTED("its server was interrupted");

        final String reason;

        State(String reason) {
            this.reason = reason;
        }
    }

    /** What one request gets. */
    enum Outcome { RETRIEVED, INVALID_TOKEN, LOCKED_NOW, REFUSED, NO_SUCH_SECRET }

    /** An outcome, the attempts left after it, and the envelope when retrieved. */
    static final class Answer {
        final Outcome outcome;
        final int attemptsLeft;
        final State state;
        final byte[] envelope;

        Answer(Outcome outcome, int attemptsLeft, State state, byte[] envelope) {
            this.outcome = outcome;
            this.attemptsLeft = attemptsLeft;
            this.state = state;
            this.envelope = envelope;
        }
    }

    private final byte[] token;
    private final Map<String, byte[]> envelopes = new HashMap<>();
    private int failures;
    private int retrievals;
    private State state = State.OPEN;

    /** Takes ownership of {@code token}; keeps only the encoded envelopes. */
    Safe(byte[] token, Envelope... sealed) {
        this.token = token;
        for (Envelope envelope : sealed) {
            envelopes.put(envelope.name, envelope.encode());
            envelope.wipe();
        }
    }

    /** Checks the token first, so a wrong token never learns which names the safe holds. */
    synchronized Answer retrieve(byte[] presented, String name) {
        if (state != State.OPEN) {
            return answer(Outcome.REFUSED, null);
        }
        if (!Token.matches(token, presented)) {
            failures++;
            if (failures < MAX_ATTEMPTS) {
                return answer(Outcome.INVALID_TOKEN, null);
            }
            end(State.LOCKED);
            return answer(Outcome.LOCKED_NOW, null);
        }
        byte[] envelope = envelopes.get(name);
        if (envelope == null) {
            return answer(Outcome.NO_SUCH_SECRET, null);
        }
        retrievals++;
        return answer(Outcome.RETRIEVED, envelope.clone());
    }

    private Answer answer(Outcome outcome, byte[] envelope) {
        return new Answer(outcome, MAX_ATTEMPTS - failures, state, envelope);
    }

    synchronized State state() {
        return state;
    }

    synchronized int retrievals() {
        return retrievals;
    }

    synchronized boolean holdsEnvelopes() {
        return !envelopes.isEmpty();
    }

    /**
     * Waits until the monotonic clock reaches {@code deadline} (a {@link System#nanoTime} value),
     * then expires the safe. Returns early only if the safe ends another way; a locked safe keeps
     * answering "locked" until its time is up.
     */
    synchronized State awaitEnd(long deadline) throws InterruptedException {
        while (state == State.OPEN || state == State.LOCKED) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                end(State.EXPIRED);
                break;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        return state;
    }

    /** Wipes the envelopes and the token; a safe that has already ended keeps its first end. */
    synchronized void end(State next) {
        if (state == State.OPEN || state == State.LOCKED) {
            state = next;
        }
        for (byte[] envelope : envelopes.values()) {
            Arrays.fill(envelope, (byte) 0);
        }
        envelopes.clear();
        Arrays.fill(token, (byte) 0);
        notifyAll();
    }

    @Override
    public String toString() {
        return "Safe[" + state() + "]";
    }
}
