package org.realplexor.hub;

import java.util.function.Consumer;

/**
 * The WAIT_TIMEOUT deadlines of the held long-polls, oldest first. Every poll waits the same
 * time, so registration order is deadline order and a queue does what a timer would: O(1) to
 * add, O(1) to drop a poll that ended, and the Hub's tick takes the expired ones off the head.
 * The links live in the {@link Listener} itself: a held poll costs no timer object.
 *
 * <p>A reload that changes WAIT_TIMEOUT shifts every deadline alike ({@link #shift}).
 *
 * <p>Not thread-safe: the Hub's.
 */
final class PollDeadlines {
    private Listener head;
    private Listener tail;

    /** The clock of the deadlines, in milliseconds: monotonic, so they do not move when the wall clock is set. */
    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    void add(Listener l, long deadline) {
        l.waitDeadline = deadline;
        l.waitPrev = tail;
        l.waitNext = null;
        if (tail == null) head = l;
        else tail.waitNext = l;
        tail = l;
    }

    /** Drops {@code l} if it is queued; a no-op otherwise. */
    void remove(Listener l) {
        if (l.waitPrev == null && head != l) return;
        if (l.waitPrev == null) head = l.waitNext;
        else l.waitPrev.waitNext = l.waitNext;
        if (l.waitNext == null) tail = l.waitPrev;
        else l.waitNext.waitPrev = l.waitPrev;
        l.waitPrev = null;
        l.waitNext = null;
    }

    /**
     * WAIT_TIMEOUT changed (a reload): every held poll's deadline moves by the difference. All
     * move alike, so the queue stays in deadline order and a shortened timeout takes effect at once.
     */
    void shift(long deltaMillis) {
        for (Listener l = head; l != null; l = l.waitNext) l.waitDeadline += deltaMillis;
    }

    /** Takes every poll whose deadline is at or before {@code now} off the queue, oldest first. */
    void expire(long now, Consumer<Listener> expired) {
        while (head != null && head.waitDeadline <= now) {
            Listener l = head;
            remove(l);
            expired.accept(l);
        }
    }
}
