package passsafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SafeTest {
    static final byte[] RIGHT = Token.ascii(936265);
    static final byte[] WRONG = Token.ascii(111111);
    /** The key check of the all-zero key every safe here is sealed under. */
    static final byte[] PROOF = KeyCheck.of(new byte[32]);

    static Safe newSafe() {
        return newSafe(Duration.ofMinutes(1));
    }

    static Safe newSafe(Duration lifetime) {
        byte[] key = new byte[32];
        Envelope envelope = Envelope.seal(Names.DEFAULT, new byte[] {1}, key, new byte[16], 1_000);
        return new Safe(RIGHT.clone(), new Safe.Limits(lifetime, 0, null), PROOF, envelope);
    }

    @Test
    void retrieve_rightToken_returnsEnvelope() {
        Safe safe = newSafe();
        Safe.Result answer = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
        assertEquals(Safe.Outcome.RETRIEVED, answer.outcome);
        assertNotNull(answer.envelope);
        assertEquals(1, safe.status().retrievals);
    }

    @Test
    void retrieve_unknownName_notCounted() {
        Safe safe = newSafe();
        assertEquals(Safe.Outcome.NO_SUCH_SECRET, safe.retrieve(RIGHT.clone(), "api", PROOF, false).outcome);
        assertEquals(3, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).attemptsLeft);
    }

    /** {@code passsafe set} and a database's refusal, as the safe counts and keeps them. */
    @Nested
    class ReplaceAndReject {
        private Envelope sealed(byte[] key, byte[] salt, int iterations, byte value) {
            return Envelope.seal(Names.DEFAULT, new byte[] {value}, key, salt, iterations);
        }

        private byte[] plaintext(Safe.Result retrieved) throws Exception {
            return Envelope.parse(retrieved.envelope, 1, Kdf.MAX_ITERATIONS).open(new byte[32]);
        }

        @Test
        void replace_rightTokenAndKey_laterRetrievalsGetTheNewSecretAtANewVersion() throws Exception {
            Safe safe = newSafe();
            assertEquals(0, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).version);
            Safe.Result replaced = safe.replace(RIGHT.clone(), Names.DEFAULT, PROOF, sealed(new byte[32], new byte[16], 1_000, (byte) 7));
            assertEquals(Safe.Outcome.REPLACED, replaced.outcome);
            Safe.Result after = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
            assertArrayEquals(new byte[] {7}, plaintext(after));
            assertEquals(1, after.version);
            assertEquals(1, safe.status().replaced);
            assertEquals(2, safe.status().retrievals, "a replacement is not a retrieval");
        }

        @Test
        void replace_wrongToken_countedAndNothingChanged() throws Exception {
            Safe safe = newSafe();
            assertEquals(Safe.Outcome.INVALID_TOKEN, safe.replace(WRONG.clone(), Names.DEFAULT, PROOF, sealed(new byte[32], new byte[16], 1_000, (byte) 7)).outcome);
            Safe.Result after = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
            assertArrayEquals(new byte[] {1}, plaintext(after));
            assertEquals(2, after.attemptsLeft);
        }

        @Test
        void replace_rightTokenWrongKeyCheck_refusedNotCountedNothingChanged() throws Exception {
            Safe safe = newSafe();
            Safe.Result refused = safe.replace(RIGHT.clone(), Names.DEFAULT, KeyCheck.of(new byte[] {1}), sealed(new byte[32], new byte[16], 1_000, (byte) 7));
            assertEquals(Safe.Outcome.WRONG_KEY, refused.outcome);
            Safe.Result after = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
            assertArrayEquals(new byte[] {1}, plaintext(after));
            assertEquals(3, after.attemptsLeft);
            assertEquals(0, safe.status().replaced);
        }

        @Test
        void replace_envelopeOfAnotherSaltIterationsOrName_refusedNothingChanged() throws Exception {
            Safe safe = newSafe();
            byte[] otherSalt = new byte[16];
            otherSalt[0] = 1;
            assertEquals(Safe.Outcome.NOT_SEALED, safe.replace(RIGHT.clone(), Names.DEFAULT, PROOF, sealed(new byte[32], otherSalt, 1_000, (byte) 7)).outcome);
            assertEquals(Safe.Outcome.NOT_SEALED, safe.replace(RIGHT.clone(), Names.DEFAULT, PROOF, sealed(new byte[32], new byte[16], 999, (byte) 7)).outcome);
            assertEquals(Safe.Outcome.NOT_SEALED, safe.replace(RIGHT.clone(), Names.DEFAULT, PROOF,
                    Envelope.seal("api", new byte[] {7}, new byte[32], new byte[16], 1_000)).outcome);
            assertEquals(Safe.Outcome.NOT_SEALED, safe.replace(RIGHT.clone(), Names.DEFAULT, PROOF, null).outcome, "a body that is no envelope");
            assertArrayEquals(new byte[] {1}, plaintext(safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false)));
            assertEquals(3, safe.status().attemptsLeft);
        }

        @Test
        void replace_nameNotHeld_refusedNothingAdded() {
            Safe safe = newSafe();
            Safe.Result refused = safe.replace(RIGHT.clone(), "api", PROOF, Envelope.seal("api", new byte[] {7}, new byte[32], new byte[16], 1_000));
            assertEquals(Safe.Outcome.NO_SUCH_SECRET, refused.outcome);
            assertEquals(Safe.Outcome.NO_SUCH_SECRET, safe.retrieve(RIGHT.clone(), "api", PROOF, false).outcome);
        }

        @Test
        void reject_thenRetrieve_refusedAsNeitherUseNorAttemptUntilReplaced() throws Exception {
            Safe safe = new Safe(RIGHT.clone(), new Safe.Limits(Duration.ofMinutes(1), 2, null), PROOF, sealed(new byte[32], new byte[16], 1_000, (byte) 1));
            assertEquals(Safe.Outcome.RETRIEVED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome);
            Safe.Result marked = safe.reject(RIGHT.clone(), Names.DEFAULT, PROOF, 0);
            assertEquals(Safe.Outcome.MARKED_REJECTED, marked.outcome);
            assertTrue(marked.rejectedAt > 0);
            for (int i = 0; i < 5; i++) {
                Safe.Result refused = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
                assertEquals(Safe.Outcome.REJECTED, refused.outcome);
                assertNull(refused.envelope);
                assertEquals(marked.rejectedAt, refused.rejectedAt);
            }
            assertEquals(1, safe.status().rejected);
            assertEquals(1, safe.status().usesLeft, "refusals spend no use");
            assertEquals(3, safe.status().attemptsLeft, "nor an attempt");
            assertEquals(Safe.Outcome.REPLACED, safe.replace(RIGHT.clone(), Names.DEFAULT, PROOF, sealed(new byte[32], new byte[16], 1_000, (byte) 9)).outcome);
            assertEquals(0, safe.status().rejected);
            assertArrayEquals(new byte[] {9}, plaintext(safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false)));
        }

        @Test
        void reject_ofAVersionReplacedSince_changesNothing() throws Exception {
            Safe safe = newSafe();
            assertEquals(Safe.Outcome.REPLACED, safe.replace(RIGHT.clone(), Names.DEFAULT, PROOF, sealed(new byte[32], new byte[16], 1_000, (byte) 9)).outcome);
            assertEquals(Safe.Outcome.REPLACED_SINCE, safe.reject(RIGHT.clone(), Names.DEFAULT, PROOF, 0).outcome);
            assertEquals(Safe.Outcome.REPLACED_SINCE, safe.reject(RIGHT.clone(), Names.DEFAULT, PROOF, -2).outcome, "a malformed version matches none");
            assertEquals(Safe.Outcome.RETRIEVED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome);
            assertEquals(Safe.Outcome.MARKED_REJECTED, safe.reject(RIGHT.clone(), Names.DEFAULT, PROOF, -1).outcome, "no version: the one it holds now");
        }

        @Test
        void retrieve_whileTheSecretIsOnTrial_waitsForTheVerdict_rejectedMeansRefusedWithoutAUse() throws Exception {
            Safe safe = newSafe();
            assertFalse(safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).trial, "a consumer that does not report is never on trial");
            Safe.Result first = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, true);
            assertTrue(first.trial, "no consumer has reported the secret working");
            assertEquals(Safe.Outcome.RETRIEVED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome, "nor held back by a trial");
            ExecutorService others = Executors.newFixedThreadPool(4);
            try {
                List<Future<Safe.Result>> waiting = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    waiting.add(others.submit(() -> safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, true)));
                }
                // They wait on the safe's lock; the rejection below may come before or after they start waiting.
                assertEquals(Safe.Outcome.MARKED_REJECTED, safe.reject(RIGHT.clone(), Names.DEFAULT, PROOF, first.version).outcome);
                for (Future<Safe.Result> other : waiting) {
                    assertEquals(Safe.Outcome.REJECTED, other.get(30, java.util.concurrent.TimeUnit.SECONDS).outcome);
                }
            } finally {
                others.shutdownNow();
            }
            assertEquals(3, safe.status().retrievals, "only the trial was handed out to a reporting consumer (and two to others)");
        }

        @Test
        void retrieve_whileTheSecretIsOnTrial_acceptedMeansServedAndNoMoreTrials() throws Exception {
            Safe safe = newSafe();
            Safe.Result first = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, true);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<Safe.Result> waiting = other.submit(() -> safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, true));
                assertEquals(Safe.Outcome.ACCEPTED, safe.accept(RIGHT.clone(), Names.DEFAULT, PROOF, first.version).outcome);
                Safe.Result served = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(Safe.Outcome.RETRIEVED, served.outcome);
                assertFalse(served.trial);
            } finally {
                other.shutdownNow();
            }
            assertFalse(safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, true).trial);
            safe.replace(RIGHT.clone(), Names.DEFAULT, PROOF, sealed(new byte[32], new byte[16], 1_000, (byte) 5));
            assertTrue(safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, true).trial, "a replaced secret is on trial again");
        }

        @Test
        void retrieve_aTrialNoOneReports_endsByItself_theNextConsumerGetsItOnTrial() {
            Safe safe = newSafe();
            long start = System.nanoTime();
            assertTrue(safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, true).trial);
            Safe.Result next = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, true);
            assertEquals(Safe.Outcome.RETRIEVED, next.outcome);
            assertTrue(next.trial);
            assertTrue(System.nanoTime() - start >= Safe.TRIAL_NANOS, "it waited for the first trial to end");
            assertEquals(Safe.Outcome.REPLACED_SINCE, safe.accept(RIGHT.clone(), Names.DEFAULT, PROOF, 7).outcome, "a version never handed out");
        }

        @Test
        void reject_wrongTokenCountedWrongKeyNot_neitherMarks() {
            Safe safe = newSafe();
            assertEquals(Safe.Outcome.INVALID_TOKEN, safe.reject(WRONG.clone(), Names.DEFAULT, PROOF, 0).outcome);
            assertEquals(Safe.Outcome.WRONG_KEY, safe.reject(RIGHT.clone(), Names.DEFAULT, KeyCheck.of(new byte[] {1}), 0).outcome);
            assertEquals(Safe.Outcome.RETRIEVED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome);
            assertEquals(2, safe.status().attemptsLeft);
            assertEquals(0, safe.status().rejected);
        }
    }

    @Nested
    class AfterThreeWrongTokens {
        @Test
        void retrieve_afterLock_refusesRightToken() {
            Safe safe = newSafe();
            assertEquals(Safe.Outcome.INVALID_TOKEN, safe.retrieve(WRONG.clone(), Names.DEFAULT, PROOF, false).outcome);
            assertEquals(Safe.Outcome.INVALID_TOKEN, safe.retrieve(WRONG.clone(), Names.DEFAULT, PROOF, false).outcome);
            assertEquals(Safe.Outcome.LOCKED_NOW, safe.retrieve(WRONG.clone(), Names.DEFAULT, PROOF, false).outcome);
            Safe.Result answer = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
            assertEquals(Safe.Outcome.REFUSED, answer.outcome);
            assertEquals(State.LOCKED, answer.state);
            assertEquals(Safe.Outcome.REFUSED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome, "nothing is handed out once ended");
        }
    }

    @Test
    void retrieve_concurrentWrongTokens_exactlyThreeCounted() throws Exception {
        Safe safe = newSafe();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Safe.Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(() -> safe.retrieve(WRONG.clone(), Names.DEFAULT, PROOF, false).outcome);
            }
            int invalid = 0;
            int lockedNow = 0;
            for (Future<Safe.Outcome> f : pool.invokeAll(calls)) {
                invalid += f.get() == Safe.Outcome.INVALID_TOKEN ? 1 : 0;
                lockedNow += f.get() == Safe.Outcome.LOCKED_NOW ? 1 : 0;
            }
            assertEquals(2, invalid);
            assertEquals(1, lockedNow);
            assertEquals(Safe.Outcome.REFUSED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stop_wrongThenRightToken() {
        Safe safe = newSafe();
        assertEquals(Safe.Outcome.INVALID_TOKEN, safe.stop(WRONG.clone()).outcome);
        assertEquals(2, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).attemptsLeft);
        assertEquals(Safe.Outcome.STOPPED, safe.stop(RIGHT.clone()).outcome);
        assertEquals(State.STOPPED, safe.state());
        assertEquals(Safe.Outcome.REFUSED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome, "nothing is handed out once ended");
    }

    @Test
    void status_listsStateTimeRetrievalsAttempts() {
        Safe safe = newSafe(Duration.ofSeconds(90));
        safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
        safe.retrieve(WRONG.clone(), Names.DEFAULT, PROOF, false);
        String status = new String(safe.status().encode(), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(status.matches("passsafe-status 1\nstate open\nseconds-left (89|90)\nretrievals 1\nuses-left unlimited\nattempts-left 2\n"
                + "replaced 0\nrejected 0\nprotocol 3\nsalt 0{32}\niterations 1000\n"), status);
        Protocol.Status parsed = Protocol.Status.parse(safe.status().encode());
        assertEquals(List.of(State.OPEN, 1, -1, 2, 1000), List.of(parsed.state, parsed.retrievals, parsed.usesLeft, parsed.attemptsLeft,
                parsed.iterations));
        assertArrayEquals(new byte[16], parsed.salt);
        safe.end(State.STOPPED);
        String ended = new String(safe.status().encode(), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(ended.endsWith("attempts-left 2\nreplaced 0\nrejected 0\nprotocol 3\n"), "an ended safe gives no salt: " + ended);
    }

    @Test
    void retrieve_wrongOrMissingKeyCheck_spendsNoUseAndNoAttempt() {
        Envelope envelope = Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], 1_000);
        Safe safe = new Safe(RIGHT.clone(), new Safe.Limits(Duration.ofMinutes(1), 1, null), PROOF, envelope);
        byte[] wrong = PROOF.clone();
        wrong[31] ^= 1;
        assertEquals(Safe.Outcome.WRONG_KEY, safe.retrieve(RIGHT.clone(), Names.DEFAULT, wrong, false).outcome);
        assertEquals(Safe.Outcome.WRONG_KEY, safe.retrieve(RIGHT.clone(), Names.DEFAULT, new byte[0], false).outcome, "a malformed check matches nothing");
        assertEquals(Safe.Outcome.WRONG_KEY, safe.retrieve(RIGHT.clone(), Names.DEFAULT, null, false).outcome, "no check proves nothing");
        assertEquals(Safe.Outcome.INVALID_TOKEN, safe.retrieve(WRONG.clone(), Names.DEFAULT, PROOF, false).outcome, "the token is checked first");
        Protocol.Status status = safe.status();
        assertEquals(List.of(State.OPEN, 0, 1, 2), List.of(status.state, status.retrievals, status.usesLeft, status.attemptsLeft));
        Safe.Result last = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
        assertEquals(List.of(Safe.Outcome.RETRIEVED, State.USED_UP), List.of(last.outcome, last.state));
    }

    @Test
    void new_secretsUnderDifferentSalts_isRefused() {
        Envelope one = Envelope.seal("a", new byte[] {1}, new byte[32], new byte[16], 1_000);
        byte[] otherSalt = new byte[16];
        otherSalt[0] = 1;
        Envelope two = Envelope.seal("b", new byte[] {1}, new byte[32], otherSalt, 1_000);
        assertThrows(IllegalArgumentException.class, () -> new Safe(RIGHT.clone(), new Safe.Limits(Duration.ofMinutes(1), 0, null), PROOF, one, two));
    }

    @Test
    void awaitEnd_deadlinePassed_expiresAndWipes() throws Exception {
        Safe safe = newSafe(Duration.ofMillis(50));
        assertEquals(State.EXPIRED, safe.awaitEnd());
        assertEquals(Safe.Outcome.REFUSED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome, "nothing is handed out once ended");
        assertEquals(Safe.Outcome.REFUSED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome);
    }

    @Test
    void awaitEnd_lockedSafe_waitsForDeadline() throws Exception {
        Safe safe = newSafe(Duration.ofMillis(300));
        for (int i = 0; i < 3; i++) {
            safe.retrieve(WRONG.clone(), Names.DEFAULT, PROOF, false);
        }
        assertEquals(State.LOCKED, safe.awaitEnd());
        assertEquals(State.LOCKED, safe.state(), "a locked safe stays locked to the end");
    }

    /** A wall clock that a test moves, as a laptop's jumps forward after sleep, or as someone sets it back. */
    static final class MovableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static Safe safeOn(MovableClock wall, Duration lifetime) {
        Envelope envelope = Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], 1_000);
        return new Safe(RIGHT.clone(), new Safe.Limits(lifetime, 0, null), wall, PROOF, envelope);
    }

    @Nested
    class TwoClocks {
        @Test
        void awaitEnd_wallClockJumpsForward_sleepDoesNotLengthenIt() throws Exception {
            MovableClock wall = new MovableClock();
            Safe safe = safeOn(wall, Duration.ofMinutes(30));
            assertEquals(Safe.Outcome.RETRIEVED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome);
            wall.move(Duration.ofHours(9)); // an overnight suspend
            long start = System.nanoTime();
            assertEquals(State.EXPIRED, safe.awaitEnd());
            // It looks at the wall clock every second: far sooner than the 30 minutes the monotonic clock has left.
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 60_000, "noticed long before the monotonic deadline");
            assertEquals(Safe.Outcome.REFUSED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome);
        }

        @Test
        void awaitEnd_wallClockSetBack_doesNotLengthenIt() throws Exception {
            MovableClock wall = new MovableClock();
            Safe safe = safeOn(wall, Duration.ofMillis(300));
            wall.move(Duration.ofHours(-2));
            assertEquals(State.EXPIRED, safe.awaitEnd());
        }

        @Test
        void status_twoClocks_showsTheEarlierTimeLeft() {
            MovableClock wall = new MovableClock();
            Safe safe = safeOn(wall, Duration.ofMinutes(30));
            wall.move(Duration.ofMinutes(25));
            assertTrue(safe.status().secondsLeft <= 300, "seconds left: " + safe.status().secondsLeft);
        }
    }

    @Test
    void end_keepsTheFirstEnd() {
        Safe safe = newSafe();
        safe.end(State.USED_UP);
        safe.end(State.EXPIRED);
        safe.end(State.INTERRUPTED);
        assertEquals(State.USED_UP, safe.state());
        assertEquals(State.USED_UP, safe.status().state);
    }

    /** Each limit and count at its edges, as the status, the access lines and the server's end read them. */
    @Nested
    class Limits {
        private Safe safe(int uses, Duration idle, Envelope... sealed) {
            Envelope[] envelopes = sealed.length > 0 ? sealed : new Envelope[] {Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], 1_000)};
            return new Safe(RIGHT.clone(), new Safe.Limits(Duration.ofMinutes(1), uses, idle), PROOF, envelopes);
        }

        @Test
        void retrieve_threeUses_countsDownAndEndsOnTheLast() {
            Safe safe = safe(3, null);
            assertEquals(3, safe.status().usesLeft);
            assertEquals(2, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).usesLeft);
            assertEquals(1, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).usesLeft);
            Safe.Result last = safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
            assertEquals(List.of(Safe.Outcome.RETRIEVED, 0, State.USED_UP), List.of(last.outcome, last.usesLeft, last.state));
            assertEquals(List.of("2 uses left", "1 use left", "0 uses left"), List.of(Safe.usesLeft(2), Safe.usesLeft(1), Safe.usesLeft(0)));
        }

        @Test
        void retrieve_wrongTokens_countedOneByOneUntilLocked() {
            Safe safe = safe(0, null);
            assertEquals(List.of(Safe.Outcome.INVALID_TOKEN, 2), List.of(safe.retrieve(WRONG.clone(), Names.DEFAULT, PROOF, false).outcome, safe.status().attemptsLeft));
            assertEquals(List.of(Safe.Outcome.INVALID_TOKEN, 1), List.of(safe.retrieve(WRONG.clone(), "api", PROOF, false).outcome, safe.status().attemptsLeft));
            Safe.Result locked = safe.retrieve(WRONG.clone(), Names.DEFAULT, null, false);
            assertEquals(List.of(Safe.Outcome.LOCKED_NOW, 0, State.LOCKED), List.of(locked.outcome, locked.attemptsLeft, locked.state));
            assertEquals(List.of(Safe.Outcome.REFUSED, 0), List.of(safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome, safe.status().attemptsLeft),
                    "the right token after the lock is refused and counts nothing more");
        }

        @Test
        void stop_endedSafeRefusesUncounted_andAnOpenOneNeedsTheToken() {
            Safe used = safe(1, null);
            used.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
            assertEquals(Safe.Outcome.REFUSED, used.stop(WRONG.clone()).outcome, "a used-up safe has nothing left to stop");
            assertEquals(List.of(State.USED_UP, 3), List.of(used.state(), used.status().attemptsLeft));
            Safe open = safe(0, null);
            assertEquals(Safe.Outcome.INVALID_TOKEN, open.stop(WRONG.clone()).outcome);
            assertEquals(Safe.Outcome.STOPPED, open.stop(RIGHT.clone()).outcome);
            assertEquals(State.STOPPED, open.state());
        }

        @Test
        void awaitEnd_idleLimitLongerThanTheDuration_expires() throws Exception {
            Safe safe = new Safe(RIGHT.clone(), new Safe.Limits(Duration.ofMillis(100), 0, Duration.ofHours(1)), PROOF,
                    Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], 1_000));
            assertEquals(State.EXPIRED, safe.awaitEnd());
        }

        @Test
        void awaitEnd_idleLimitShorterThanTheDuration_endsIdle() throws Exception {
            Safe safe = safe(0, Duration.ofMillis(100));
            assertEquals(State.IDLE, safe.awaitEnd());
            assertEquals(Safe.Outcome.REFUSED, safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false).outcome);
        }

        @Test
        void status_timeLeftWhileOpen_zeroOnceEnded() {
            Safe safe = safe(1, null);
            assertTrue(safe.status().secondsLeft > 50, "open");
            safe.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
            assertEquals(0, safe.status().secondsLeft, "used up");
            Safe stopped = safe(0, null);
            stopped.end(State.STOPPED);
            assertEquals(0, stopped.status().secondsLeft);
            assertNull(stopped.status().salt, "an ended safe gives no salt");
            assertEquals(16, safe(0, null).status().salt.length);
        }

        @Test
        void named_onlyWhenItHoldsAnotherNameOrMore() {
            assertFalse(safe(0, null).named());
            assertTrue(safe(0, null, Envelope.seal("api", new byte[] {1}, new byte[32], new byte[16], 1_000)).named());
            assertTrue(safe(0, null, Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], 1_000),
                    Envelope.seal("api", new byte[] {1}, new byte[32], new byte[16], 1_000)).named());
        }

        @Test
        void new_secretsUnderDifferentIterations_isRefusedAndTheSealedAreWiped() {
            Envelope one = Envelope.seal("a", new byte[] {1}, new byte[32], new byte[16], 1_000);
            Envelope two = Envelope.seal("b", new byte[] {1}, new byte[32], new byte[16], 2_000);
            assertThrows(IllegalArgumentException.class, () -> safe(0, null, one, two));
            Envelope kept = Envelope.seal("c", new byte[] {1}, new byte[32], new byte[16], 1_000);
            safe(0, null, kept);
            assertArrayEquals(new byte[kept.ciphertext.length], kept.ciphertext, "the safe keeps only its own encoded copy");
        }
    }

    @Test
    void retrieveAndStop_wipeTheTokenPresented_rightWrongOrAfterTheEnd() {
        Safe safe = newSafe();
        List<byte[]> presented = new ArrayList<>();
        for (byte[] token : new byte[][] {RIGHT.clone(), WRONG.clone()}) {
            presented.add(token);
            safe.retrieve(token, Names.DEFAULT, PROOF, false);
        }
        byte[] stop = RIGHT.clone();
        presented.add(stop);
        assertEquals(Safe.Outcome.STOPPED, safe.stop(stop).outcome);
        byte[] late = RIGHT.clone();
        presented.add(late);
        assertEquals(Safe.Outcome.REFUSED, safe.retrieve(late, Names.DEFAULT, PROOF, false).outcome);
        Safe used = new Safe(RIGHT.clone(), new Safe.Limits(Duration.ofMinutes(1), 1, null), PROOF,
                Envelope.seal(Names.DEFAULT, new byte[] {1}, new byte[32], new byte[16], 1_000));
        used.retrieve(RIGHT.clone(), Names.DEFAULT, PROOF, false);
        byte[] release = WRONG.clone();
        presented.add(release);
        assertEquals(Safe.Outcome.REFUSED, used.stop(release).outcome, "a used-up safe has nothing left to stop");
        for (byte[] token : presented) {
            assertArrayEquals(new byte[Token.DIGITS], token, "the safe wipes every token it is handed");
        }
    }
}
