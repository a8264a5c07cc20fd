package org.realplexor.engine;

import java.util.function.LongSupplier;
import org.realplexor.protocol.Cursor;

/**
 * Generates cursors the way the original did: Unix seconds, six digits of microseconds and an
 * eight-digit sub-microsecond counter ({@code 1795310370.48286000100000}). Strictly increasing
 * for the life of the clock even when the wall clock stands still or steps back: the counter
 * runs on from the last value instead.
 *
 * <p>Not thread-safe: owned by the thread that owns the queues.
 */
public final class CursorClock {
    private static final long COUNTER_SPAN = 100_000_000L;

    private final LongSupplier micros;
    private long lastMicros = -1;
    private long counter;

    public CursorClock() {
        this(CursorClock::wallMicros);
    }

    public CursorClock(LongSupplier micros) {
        this.micros = micros;
    }

    public Cursor next() {
        long now = micros.getAsLong();
        if (now > lastMicros) {
            lastMicros = now;
            counter = 0;
        } else if (++counter >= COUNTER_SPAN) {
            lastMicros++;
            counter = 0;
        }
        return format(lastMicros, counter);
    }

    static Cursor format(long micros, long counter) {
        long seconds = micros / 1_000_000L;
        long frac = micros % 1_000_000L;
        StringBuilder sb = new StringBuilder(26);
        sb.append(seconds).append('.');
        String f = Long.toString(frac);
        for (int i = f.length(); i < 6; i++) sb.append('0');
        sb.append(f);
        String c = Long.toString(counter);
        for (int i = c.length(); i < 8; i++) sb.append('0');
        sb.append(c);
        return Cursor.of(sb.toString());
    }

    private static long wallMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
    }
}
