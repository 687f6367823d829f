package passsafe;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's state: sealed envelopes by name, with what consumers reported of each, the token,
 * and the attempt counter. Every check and count happens under this object's lock, so however many
 * wrong tokens arrive at once, exactly {@link Token#MAX_ATTEMPTS} are counted before the safe locks and wipes its envelopes.
 * It holds no plaintext, key or passphrase: only ciphertext and the token.
 */
final class Safe {

    enum Outcome {
        RETRIEVED, STOPPED, INVALID_TOKEN, LOCKED_NOW, REFUSED, NO_SUCH_SECRET, WRONG_KEY, REPLACED, REJECTED, MARKED_REJECTED, ACCEPTED,
        REPLACED_SINCE, NOT_SEALED
    }

    /**
     * How long a secret no consumer has reported working yet, handed to one consumer, is held back
     * from the others: long enough for a database to answer a login, short of a client's read timeout.
     */
    static final long TRIAL_NANOS = TimeUnit.SECONDS.toNanos(3);

    static final class Result {
        final Outcome outcome;
        final String name;
        final int attemptsLeft;
        /** -1 for no use limit. */
        final int usesLeft;
        final State state;
        final byte[] envelope;
        /** The names the safe holds, for a request that named another. */
        final List<String> names;
        /** The secret's version, as {@link Protocol#VERSION_HEADER} says it. */
        int version;
        /** When the database refused the secret, in seconds since the epoch; 0 while it has not. */
        long rejectedAt;
        /** Whether this retrieval is the secret's trial: its consumer is asked to report that it worked. */
        boolean trial;

        Result(Outcome outcome, String name, int attemptsLeft, int usesLeft, State state, byte[] envelope, List<String> names) {
            this.outcome = outcome;
            this.name = name;
            this.attemptsLeft = attemptsLeft;
            this.usesLeft = usesLeft;
            this.state = state;
            this.envelope = envelope;
            this.names = names;
        }
    }

    /** The limits besides the token: how long, how many uses (0: no limit), how long idle (null: none). */
    static final class Limits {
        final Duration lifetime;
        final int uses;
        final Duration idle;

        Limits(Duration lifetime, int uses, Duration idle) {
            this.lifetime = lifetime;
            this.uses = uses;
            this.idle = idle;
        }
    }

    private final byte[] token;
    /** The end on the monotonic clock, which a clock set backwards cannot stretch. */
    private final long deadline;
    /** The end on the wall clock, the "ends at" the owner was shown: sleep stops the monotonic clock, not this one. */
    private final long wallDeadline;
    private final Clock wall;
    private final int maxUses;
    private final boolean named;
    private final long idleNanos;
    private final Map<String, Held> held = new TreeMap<>();
    private int replacements;
    /** The {@link KeyCheck} of the key every envelope is sealed under, and that key's salt and iterations. */
    private final byte[] keyCheck;
    private final byte[] salt;
    private final int iterations;
    private int failures;
    private int retrievals;
    private long lastUse = System.nanoTime();
    private State state = State.OPEN;

    /**
     * Takes ownership of {@code token}; keeps only the encoded envelopes. The safe expires
     * {@code limits.lifetime} from now, on the monotonic clock and on the wall clock.
     */
    Safe(byte[] token, Limits limits, byte[] keyCheck, Envelope... sealed) {
        this(token, limits, Clock.systemUTC(), keyCheck, sealed);
    }

    /**
     * {@code wall} is a seam: tests make it jump, as a laptop's clock does after sleep.
     *
     * @throws IllegalArgumentException unless every envelope has the same salt and iterations
     */
    Safe(byte[] token, Limits limits, Clock wall, byte[] keyCheck, Envelope... sealed) {
        for (Envelope envelope : sealed) {
            if (envelope.iterations != sealed[0].iterations || !Arrays.equals(envelope.salt, sealed[0].salt)) {
                throw new IllegalArgumentException("every secret of a safe is sealed under one key");
            }
        }
        this.keyCheck = keyCheck.clone();
        this.salt = sealed[0].salt.clone();
        this.iterations = sealed[0].iterations;
        this.token = token;
        this.wall = wall;
        this.deadline = lastUse + limits.lifetime.toNanos();
        this.wallDeadline = wall.millis() + limits.lifetime.toMillis();
        this.maxUses = limits.uses;
        this.idleNanos = limits.idle == null ? 0 : limits.idle.toNanos();
        this.named = sealed.length != 1 || !sealed[0].name.equals(Names.DEFAULT);
        for (Envelope envelope : sealed) {
            held.put(envelope.name, new Held(envelope.encode()));
            envelope.wipe();
        }
    }

    /**
     * Checks the token first, so a wrong token never learns which names the safe holds; then the
     * name; then {@code proof}, the client's {@link KeyCheck}: a missing or wrong one spends no use.
     * A consumer that {@code reports} whether the secret worked waits while another such consumer
     * has it on trial. Takes ownership of {@code presented}, and wipes it.
     */
    synchronized Result retrieve(byte[] presented, String name, byte[] proof, boolean reports) {
        Result refused = checkProof(presented, name, proof);
        if (refused != null) {
            return refused;
        }
        Held secret = held.get(name);
        if (reports) {
            awaitVerdict(secret);
        }
        if (state != State.OPEN) {
            return answer(Outcome.REFUSED, name, null);
        }
        if (secret.rejectedAt != 0) {
            return answer(Outcome.REJECTED, name, null); // no database sees it again, and no use is spent on it
        }
        boolean trial = reports && !secret.proven;
        if (trial) {
            secret.startTrial();
        }
        retrievals++;
        lastUse = System.nanoTime();
        byte[] copy = secret.envelope.clone();
        if (maxUses > 0 && retrievals >= maxUses) {
            end(State.USED_UP); // the envelope is already copied for this last use
        }
        notifyAll(); // the idle clock restarts
        Result retrieved = answer(Outcome.RETRIEVED, name, copy);
        retrieved.trial = trial;
        return retrieved;
    }

    /**
     * Waits while the secret is out on trial with another consumer: until it reports that the
     * secret worked or that the database refused it, the trial times out, or the safe ends. So
     * however many consumers ask at once for a secret none has tried, one of them tries it on the
     * database, and a wrong one costs the account one failed login, not one per consumer.
     */
    private void awaitVerdict(Held secret) {
        while (state == State.OPEN && secret.onTrial && !secret.proven && secret.rejectedAt == 0) {
            long left = secret.trialSince + TRIAL_NANOS - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Ends the safe early for the right token; a wrong one counts like any other. A safe already
     * ended by a limit holds nothing to protect: it gives way whatever the token. Takes ownership
     * of {@code presented}, and wipes it.
     */
    synchronized Result stop(byte[] presented) {
        Result refused = check(presented, null);
        if (refused != null) {
            return refused;
        }
        end(State.STOPPED);
        return answer(Outcome.STOPPED, null, null);
    }

    /**
     * Swaps in {@code sealed} for the secret of its name, which the safe must hold, after the same
     * checks as a retrieval: the token (a wrong one counts), the name, the key check (a wrong one
     * spends nothing). {@code sealed} (null when the body was no envelope) must carry the safe's
     * own salt and iterations; the server cannot open it, so that is all it can check. The old
     * envelope is wiped and a rejection of that secret lifted. Takes ownership of {@code presented}
     * and {@code sealed}, and wipes both.
     */
    synchronized Result replace(byte[] presented, String name, byte[] proof, Envelope sealed) {
        try {
            return checked(presented, name, proof, secret -> {
                if (sealed == null || !sealed.name.equals(name) || sealed.iterations != iterations || !Arrays.equals(sealed.salt, salt)) {
                    return Outcome.NOT_SEALED;
                }
                secret.set(sealed.encode(), ++replacements);
                return Outcome.REPLACED;
            });
        } finally {
            if (sealed != null) {
                sealed.wipe();
            }
        }
    }

    /**
     * Marks the secret {@code name} refused by its database, after the same checks as a
     * retrieval, unless it was replaced since {@code version} was handed out ({@code -1}: the
     * version it has now). Takes ownership of {@code presented}, and wipes it.
     */
    synchronized Result reject(byte[] presented, String name, byte[] proof, int version) {
        return checked(presented, name, proof, secret -> {
            if (version != -1 && secret.version != version) {
                return Outcome.REPLACED_SINCE;
            }
            secret.reject(wall.millis() / 1000);
            return Outcome.MARKED_REJECTED;
        });
    }

    /**
     * Records that a consumer logged in with {@code version} of the secret {@code name}: no later
     * retrieval of it waits for a trial. The same checks as a rejection. Takes ownership of
     * {@code presented}, and wipes it.
     */
    synchronized Result accept(byte[] presented, String name, byte[] proof, int version) {
        return checked(presented, name, proof, secret -> {
            if (secret.version != version || secret.rejectedAt != 0) {
                return Outcome.REPLACED_SINCE;
            }
            secret.accept();
            return Outcome.ACCEPTED;
        });
    }

    /**
     * {@code change} to the secret {@code name} once the token, name and key check pass, and the
     * answer; wakes any consumer waiting on the secret's trial, and wipes {@code presented}.
     */
    private Result checked(byte[] presented, String name, byte[] proof, java.util.function.Function<Held, Outcome> change) {
        Result refused = checkProof(presented, name, proof);
        if (refused != null) {
            return refused;
        }
        Outcome outcome = change.apply(held.get(name));
        notifyAll();
        return answer(outcome, name, null);
    }

    /** Null for the right token, a name the safe holds and the right key check; otherwise the refusal. */
    private Result checkProof(byte[] presented, String name, byte[] proof) {
        Result refused = check(presented, name);
        if (refused != null) {
            return refused;
        }
        if (!held.containsKey(name)) {
            return new Result(Outcome.NO_SUCH_SECRET, name, attemptsLeft(), usesLeft(), state, null, new ArrayList<>(held.keySet()));
        }
        return proof == null || !KeyCheck.matches(keyCheck, proof) ? answer(Outcome.WRONG_KEY, name, null) : null;
    }

    /**
     * Null for the right token while open; otherwise the refusal, counting a wrong token. Every
     * request passes here first, so this is where {@code presented} is wiped.
     */
    private Result check(byte[] presented, String name) {
        boolean right = state == State.OPEN && Token.matches(token, presented);
        if (presented != null) {
            Arrays.fill(presented, (byte) 0);
        }
        if (state != State.OPEN) {
            return answer(Outcome.REFUSED, name, null);
        }
        if (right) {
            return null;
        }
        failures++;
        if (failures < Token.MAX_ATTEMPTS) {
            return answer(Outcome.INVALID_TOKEN, name, null);
        }
        end(State.LOCKED);
        return answer(Outcome.LOCKED_NOW, name, null);
    }

    private Result answer(Outcome outcome, String name, byte[] envelope) {
        Result result = new Result(outcome, name, attemptsLeft(), usesLeft(), state, envelope, List.of());
        Held secret = name == null ? null : held.get(name);
        if (secret != null) {
            result.version = secret.version;
            result.rejectedAt = secret.rejectedAt;
        }
        return result;
    }

    private int attemptsLeft() {
        return Token.MAX_ATTEMPTS - failures;
    }

    private int usesLeft() {
        return maxUses == 0 ? -1 : Math.max(0, maxUses - retrievals);
    }

    static String usesLeft(int left) {
        return left + (left == 1 ? " use left" : " uses left");
    }

    private int rejectedCount() {
        int count = 0;
        for (Held secret : held.values()) {
            count += secret.rejectedAt != 0 ? 1 : 0;
        }
        return count;
    }

    synchronized State state() {
        return state;
    }

    boolean named() {
        return named;
    }

    synchronized Protocol.Status status() {
        long left = state == State.OPEN ? Math.max(0, timeLeft(System.nanoTime()).getSeconds()) : 0;
        Protocol.Status status = new Protocol.Status(state, left, retrievals, usesLeft(), attemptsLeft()).withSecrets(replacements, rejectedCount());
        return state == State.OPEN ? status.withKdf(salt, iterations) : status;
    }

    /**
     * Waits while the safe is open, until its time is up (then it expires) or its idle time (then it
     * ends as {@link State#IDLE}), or until it ends another way. Returns the state it ended in.
     */
    synchronized State awaitEnd() throws InterruptedException {
        while (state == State.OPEN) {
            long now = System.nanoTime();
            if (timeLeft(now).isZero()) {
                end(State.EXPIRED);
                break;
            }
            long idleLeft = idleNanos > 0 ? lastUse + idleNanos - now : Long.MAX_VALUE;
            if (idleLeft <= 0) {
                end(State.IDLE);
                break;
            }
            pause(Math.min(timeLeft(now).toNanos(), idleLeft));
        }
        return state;
    }

    /**
     * What is left of the duration: the less of the monotonic and the wall-clock deadlines, so
     * neither sleep nor a clock set backwards lengthens a safe. Zero once either has passed.
     */
    private Duration timeLeft(long now) {
        long wallLeft = Math.max(0, wallDeadline - wall.millis());
        long left = Math.max(0, Math.min(deadline - now, wallLeft * 1_000_000));
        return Duration.ofNanos(left);
    }

    /** Waits up to {@code nanos}, and never more than a second, so a wall clock that jumped is seen soon. */
    private void pause(long nanos) throws InterruptedException {
        wait(Math.max(1, Math.min(nanos / 1_000_000, 1000)), 0);
    }

    /** Wipes the envelopes and the token; a safe that has already ended keeps its first end. */
    synchronized void end(State next) {
        if (state == State.OPEN) {
            state = next;
        }
        for (Held secret : held.values()) {
            Arrays.fill(secret.envelope, (byte) 0);
        }
        held.clear();
        Arrays.fill(token, (byte) 0);
        Arrays.fill(keyCheck, (byte) 0);
        notifyAll();
    }
}
