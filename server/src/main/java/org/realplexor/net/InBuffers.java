package org.realplexor.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What all unfinished IN requests hold in memory together. Each is capped by IN_MAXLEN, but
 * hundreds of clients that send most of a body and never finish it would together fill the
 * heap; past IN_BUFFERS the next one to grow is refused instead.
 */
final class InBuffers {
    private static final AtomicLong HELD = new AtomicLong();

    private InBuffers() {
    }

    /** Takes {@code bytes} more if the total stays within {@code limit}; false (and nothing taken) otherwise. */
    static boolean take(long bytes, long limit) {
        while (true) {
            long now = HELD.get();
            if (now + bytes > limit) return false;
            if (HELD.compareAndSet(now, now + bytes)) return true;
        }
    }

    static void give(long bytes) {
        HELD.addAndGet(-bytes);
    }

    /** Bytes held now, for tests and metrics. */
    static long held() {
        return HELD.get();
    }
}
