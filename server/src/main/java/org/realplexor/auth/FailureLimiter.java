package org.realplexor.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts failures per key (a login, an address) in token buckets: a key holds {@code burst}
 * attempts that may fail, and gets them back at {@code burst} per {@code window}. A key with no
 * attempt left is refused until one is back. Keys live in a map capped at {@code capacity}
 * (the least recently used goes first), so a flood of new keys costs bounded memory.
 *
 * <p>Also rations the log: one line per key per window, saying how many refusals went
 * unlogged since the key's previous line.
 *
 * <p>Pure (the clock is given) and safe between threads: each call holds the lock for a map
 * lookup and a little arithmetic.
 */
final class FailureLimiter {

    private final int burst;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets;

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    FailureLimiter(int burst, long windowNanos, int capacity, LongSupplier clock) {
        if (burst < 1 || windowNanos < 1 || capacity < 1)
            throw new IllegalArgumentException("burst, window, capacity must be positive");
        this.burst = burst;
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Nanoseconds until {@code key} has an attempt again; 0 when it has one now. */
    synchronized long waitNanos(String key) {
        Bucket b = buckets.get(key); // a key that never failed gets no entry: lookups cost no memory
        if (b == null) return 0;
        long now = clock.getAsLong();
        b.refill(now);
        if (b.tokens >= 1) return 0;
        return (long) Math.ceil((1 - b.tokens) * windowNanos / burst);
    }

    /** {@code key} failed once more: it loses an attempt. */
    synchronized void failed(String key) {
        long now = clock.getAsLong();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        b.refill(now);
        b.tokens = Math.max(0, b.tokens - 1);
    }

    /**
     * Whether {@code key} has an attempt left beyond the checks of it already waiting: if not,
     * and those fail, this one will be refused without hashing when its turn comes.
     */
    synchronized boolean roomBeyondWaiting(String key) {
        Bucket b = buckets.get(key);
        if (b == null) return true;
        b.refill(clock.getAsLong());
        return b.tokens - b.waiting >= 1;
    }

    /** One more (+1) or one fewer (-1) check of {@code key} waits to be done. */
    synchronized void waiting(String key, int delta) {
        if (delta > 0) {
            long now = clock.getAsLong();
            buckets.computeIfAbsent(key, k -> new Bucket(burst, now)).waiting += delta;
        } else {
            Bucket b = buckets.get(key); // forgotten meanwhile (LRU): nothing to take back
            if (b != null) b.waiting = Math.max(0, b.waiting + delta);
        }
    }

    /**
     * A refusal of {@code key}: whether to log it.
     *
     * @return -1 when a line for this key went out within the window (this refusal is counted
     *         instead), else how many refusals of the key were not logged since its last line
     */
    synchronized long refusedLogLine(String key) {
        long now = clock.getAsLong();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        if (b.logged && now - b.lastLogNanos < windowNanos) {
            b.unlogged++;
            return -1;
        }
        long unlogged = b.unlogged;
        b.logged = true;
        b.lastLogNanos = now;
        b.unlogged = 0;
        return unlogged;
    }

    /** The attempts a key gets back per window, and at most holds. */
    int burst() {
        return burst;
    }

    private final class Bucket {
        double tokens;
        long stamp;
        boolean logged;
        long lastLogNanos;
        long unlogged;
        int waiting;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.stamp = now;
        }

        void refill(long now) {
            long elapsed = now - stamp;
            if (elapsed <= 0) return;
            tokens = Math.min(burst, tokens + (double) elapsed * burst / windowNanos);
            stamp = now;
        }
    }
}
