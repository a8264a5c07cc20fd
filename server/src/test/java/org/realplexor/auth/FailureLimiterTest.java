package org.realplexor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per key, the waiting count, the capped map and the rationed log (clock given). */
class FailureLimiterTest {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private final AtomicLong now = new AtomicLong(1_000);

    private FailureLimiter limiter(int capacity) {
        return new FailureLimiter(10, MINUTE, capacity, now::get);
    }

    @Test
    void tenFailuresThenOneEverySixSeconds() {
        FailureLimiter f = limiter(100);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, f.waitNanos("alice"), "attempt " + (i + 1));
            f.failed("alice");
        }
        assertEquals(TimeUnit.SECONDS.toNanos(6), f.waitNanos("alice"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(4));
        assertEquals(TimeUnit.SECONDS.toNanos(2), f.waitNanos("alice"), 1);
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertEquals(0, f.waitNanos("alice"));
        f.failed("alice");
        assertTrue(f.waitNanos("alice") > 0, "one attempt came back, and went");
        assertEquals(0, f.waitNanos("bob"), "keys are counted apart");
    }

    @Test
    void checksWaitingCountAgainstWhatIsLeft() {
        FailureLimiter f = limiter(100);
        for (int i = 0; i < 9; i++) f.waiting("a", 1);
        assertTrue(f.roomBeyondWaiting("a"), "9 waiting, 10 left");
        f.waiting("a", 1);
        assertFalse(f.roomBeyondWaiting("a"), "10 waiting, 10 left");
        f.waiting("a", -1);
        f.failed("a");
        assertFalse(f.roomBeyondWaiting("a"), "9 waiting, 9 left");
        f.waiting("a", -1);
        assertTrue(f.roomBeyondWaiting("a"));
        f.waiting("gone", -1); // never counted (or forgotten): nothing to take back
        assertTrue(f.roomBeyondWaiting("gone"));
    }

    @Test
    void theLeastRecentlyUsedKeyIsForgottenPastTheCap() {
        FailureLimiter f = limiter(2);
        for (int i = 0; i < 10; i++) f.failed("a");
        for (int i = 0; i < 10; i++) f.failed("b");
        assertTrue(f.waitNanos("a") > 0); // a is now the most recent
        for (int i = 0; i < 10; i++) f.failed("c");
        assertTrue(f.waitNanos("a") > 0, "a was used more recently than b");
        assertEquals(0, f.waitNanos("b"), "b was forgotten");
        assertTrue(f.waitNanos("c") > 0);
    }

    @Test
    void oneLogLinePerKeyPerWindowWithTheCountLeftOut() {
        FailureLimiter f = limiter(100);
        assertEquals(0, f.refusedLogLine("alice"));
        assertEquals(0, f.refusedLogLine("bob"), "keys are logged apart");
        for (int i = 0; i < 5; i++) assertEquals(-1, f.refusedLogLine("alice"));
        now.addAndGet(MINUTE - 1);
        assertEquals(-1, f.refusedLogLine("alice"));
        now.addAndGet(1);
        assertEquals(6, f.refusedLogLine("alice"), "the next line counts those left out");
        assertEquals(-1, f.refusedLogLine("alice"));
    }
}
