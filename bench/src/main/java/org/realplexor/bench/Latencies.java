package org.realplexor.bench;

import java.util.Arrays;

/** Every recorded latency (nanoseconds), kept exactly so percentiles need no bucketing. */
final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** Sorted copy; call once the measured phase is over. */
    synchronized Summary summary() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return new Summary(sorted);
    }

    record Summary(long[] sorted) {
        int count() {
            return sorted.length;
        }

        /** Nearest-rank percentile, or -1 without samples. */
        long percentile(double p) {
            if (sorted.length == 0) {
                return -1;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }

        long max() {
            return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
        }
    }
}
