package passsafe;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
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
        STOPPED("its owner stopped it"),
        INTERRUPTED("its server was interrupted");

        final String reason;

        State(String reason) {
            this.reason = reason;
        }
    }

    /** What one request gets. */
    enum Outcome { RETRIEVED, STOPPED, INVALID_TOKEN, LOCKED_NOW, REFUSED, NO_SUCH_SECRET }

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
    private final long deadline;
    private final Map<String, byte[]> envelopes = new HashMap<>();
    private int failures;
    private int retrievals;
    private State state = State.OPEN;

    /**
     * Takes ownership of {@code token}; keeps only the encoded envelopes. The safe expires
     * {@code lifetime} from now, on the monotonic clock.
     */
    Safe(byte[] token, Duration lifetime, Envelope... sealed) {
        this.token = token;
        this.deadline = System.nanoTime() + lifetime.toNanos();
        for (Envelope envelope : sealed) {
            envelopes.put(envelope.name, envelope.encode());
            envelope.wipe();
        }
    }

    /** Checks the token first, so a wrong token never learns which names the safe holds. */
    synchronized Answer retrieve(byte[] presented, String name) {
        Answer refused = check(presented);
        if (refused != null) {
            return refused;
        }
        byte[] envelope = envelopes.get(name);
        if (envelope == null) {
            return answer(Outcome.NO_SUCH_SECRET, null);
        }
        retrievals++;
        return answer(Outcome.RETRIEVED, envelope.clone());
    }

    /** Ends the safe early for the right token; a wrong one counts like any other. */
    synchronized Answer stop(byte[] presented) {
        Answer refused = check(presented);
        if (refused != null) {
            return refused;
        }
        end(State.STOPPED);
        return answer(Outcome.STOPPED, null);
    }

    /** Null for the right token while open; otherwise the refusal, counting a wrong token. */
    private Answer check(byte[] presented) {
        if (state != State.OPEN) {
            return answer(Outcome.REFUSED, null);
        }
        if (Token.matches(token, presented)) {
            return null;
        }
        failures++;
        if (failures < MAX_ATTEMPTS) {
            return answer(Outcome.INVALID_TOKEN, null);
        }
        end(State.LOCKED);
        return answer(Outcome.LOCKED_NOW, null);
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

    /** What {@code passsafe status} shows: nothing secret. */
    synchronized String status() {
        long left = state == State.OPEN || state == State.LOCKED ? Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000L) : 0;
        return "passsafe-status 1\n"
                + "state " + state.name().toLowerCase(Locale.ROOT) + "\n"
                + "seconds-left " + left + "\n"
                + "retrievals " + retrievals + "\n"
                + "attempts-left " + (MAX_ATTEMPTS - failures) + "\n";
    }

    /**
     * Waits until the safe's time is up, then expires it. Returns early only if the safe ends
     * another way; a locked safe keeps answering "locked" until its time is up.
     */
    synchronized State awaitEnd() throws InterruptedException {
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
