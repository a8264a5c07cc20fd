package org.realplexor.net;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counters of one line's events, one array per event loop: each is written only by its own
 * loop's thread with a plain increment (no atomic, no shared cache line), and the metrics scrape
 * adds them up, reading racily. A count may then be a few events behind, never wrong for long;
 * 64-bit JVMs do not tear long reads. One instance per server, so that servers in one JVM
 * (tests) do not mix their counts.
 */
public final class LoopCounters {
    /** Cache lines of padding after each loop's slots, so that two loops' arrays never share one. */
    private static final int PAD = 16;

    private final int size;
    private final List<long[]> all = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<long[]> here = new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
            long[] slots = new long[size + PAD];
            all.add(slots);
            return slots;
        }
    };

    LoopCounters(int size) {
        this.size = size;
    }

    /** This thread's slots: write only from an event loop, and only {@code here()[i]++ / --}. */
    long[] here() {
        return here.get();
    }

    /** The sum over every loop, read racily (for the metrics scrape). */
    public long sum(int slot) {
        long n = 0;
        for (long[] s : all) n += s[slot];
        return n;
    }
}
