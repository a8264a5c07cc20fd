package org.realplexor.timer;

import java.util.ArrayDeque;
import java.util.function.BiPredicate;

/**
 * Deadlines of one fixed length (a WAIT_TIMEOUT, an OFFLINE_TIMEOUT), kept in arrival order: as
 * every entry waits the same time, arrival order is deadline order, so adding and expiring cost
 * O(1) and a held poll costs one small entry instead of a scheduled task. Cancelling is lazy: the
 * owner's check at expiry says whether the entry still stands.
 *
 * <p>Not thread-safe: owned by one thread, which calls {@link #expire} from its periodic tick.
 */
public final class DeadlineQueue<T> {
    private record Entry<T>(long deadline, T item, long stamp) {
    }

    private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();

    /** Adds {@code item} due at {@code deadline}; {@code stamp} lets the owner spot stale entries. */
    public void add(long deadline, T item, long stamp) {
        entries.addLast(new Entry<>(deadline, item, stamp));
    }

    /**
     * Hands every entry due by {@code now} to {@code due}, which returns whether it acted. A
     * deadline later than its predecessor's can only come from a changed timeout (SIGHUP); such an
     * entry waits for the ones ahead of it, which is the price of O(1).
     */
    public int expire(long now, BiPredicate<T, Long> due) {
        int acted = 0;
        while (!entries.isEmpty() && entries.peekFirst().deadline() <= now) {
            Entry<T> e = entries.pollFirst();
            if (due.test(e.item(), e.stamp())) acted++;
        }
        return acted;
    }

    public int size() {
        return entries.size();
    }

    public void clear() {
        entries.clear();
    }
}
