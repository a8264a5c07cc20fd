package org.realplexor.protocol;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The first {@code limit} keys in sorted order out of any number offered, with a value each: what
 * a bounded STATS section lists. One pass over a table of any size keeps only {@code limit}
 * entries, and a key after the current last costs one comparison, so nothing is sorted whole.
 * A key offered again keeps its latest value (a Redis HSCAN may return a field twice).
 */
public final class FirstSorted<V> {
    private final int limit;
    private final TreeMap<String, V> kept = new TreeMap<>();
    private String last;

    public FirstSorted(int limit) {
        this.limit = limit;
    }

    public void offer(String key, V value) {
        if (kept.size() >= limit && key.compareTo(last) > 0) return;
        kept.put(key, value);
        if (kept.size() > limit) kept.pollLastEntry();
        last = kept.lastKey();
    }

    /** The kept entries, sorted. */
    public SortedMap<String, V> entries() {
        return kept;
    }
}
