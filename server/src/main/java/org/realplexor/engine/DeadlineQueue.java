package org.realplexor.engine;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.BiPredicate;

/**
 * Deadlines kept by time (an OFFLINE_TIMEOUT countdown, a queue's CLEAN_ID_AFTER). Cancelling is
 * lazy: the owner's check at expiry says whether the entry still stands, so owners add entries
 * per id, never per connection or per message, to keep this small.
 *
 * <p>Not thread-safe: owned by one thread, which calls {@link #expire} from its periodic tick.
 */
final class DeadlineQueue<T> {
    private record Entry<T>(long deadline, T item, long stamp) {}

    private final PriorityQueue<Entry<T>> entries = new PriorityQueue<>(Comparator.comparingLong(Entry::deadline));

    /** Adds {@code item} due at {@code deadline}; {@code stamp} lets the owner spot stale entries. */
    void add(long deadline, T item, long stamp) {
        entries.add(new Entry<>(deadline, item, stamp));
    }

    /** Hands every entry due by {@code now} to {@code due}, which returns whether it acted. */
    int expire(long now, BiPredicate<T, Long> due) {
        int acted = 0;
        while (!entries.isEmpty() && entries.peek().deadline() <= now) {
            Entry<T> e = entries.poll();
            if (due.test(e.item(), e.stamp())) acted++;
        }
        return acted;
    }
}
