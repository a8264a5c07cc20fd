package org.realplexor.ops;

import org.realplexor.hub.HubMetrics;

/**
 * Messages and deliveries per second over the last {@link #SECONDS} seconds, from the Hub's
 * counters sampled once a second: the status page's chart. A fixed ring; the sampler thread
 * adds, requests read a copy.
 */
final class RateHistory {
    static final int SECONDS = 600;

    private final long[] at = new long[SECONDS];
    private final long[] published = new long[SECONDS];
    private final long[] delivered = new long[SECONDS];
    private int size;
    private int next;
    private HubMetrics last;
    private long lastAt;

    /** Adds the rates since the previous sample. */
    synchronized void sample(long nowMillis, HubMetrics m) {
        if (last != null && nowMillis > lastAt) {
            double secs = (nowMillis - lastAt) / 1000.0;
            at[next] = nowMillis;
            published[next] = Math.round(Math.max(0, m.publishes() - last.publishes()) / secs);
            delivered[next] = Math.round(Math.max(0, m.deliveries() - last.deliveries()) / secs);
            next = (next + 1) % SECONDS;
            size = Math.min(SECONDS, size + 1);
        }
        last = m;
        lastAt = nowMillis;
    }

    /** {@code [[t, published/s, delivered/s], ...]}, oldest first, as JSON. */
    synchronized String json() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            int k = (next - size + i + SECONDS) % SECONDS;
            if (i > 0) sb.append(',');
            sb.append('[')
                    .append(at[k])
                    .append(',')
                    .append(published[k])
                    .append(',')
                    .append(delivered[k])
                    .append(']');
        }
        return sb.append(']').toString();
    }
}
