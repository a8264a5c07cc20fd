package org.realplexor.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What all unfinished IN requests hold in memory together. Each is capped by IN_MAXLEN, but
 * hundreds of clients that send most of a body and never finish it would together fill the
 * heap; past IN_BUFFERS the next one to grow is refused instead.
 */
final class InBuffers {
    /** One count per server, kept across reloads. */
    private final AtomicLong held = new AtomicLong();

    /** Takes {@code bytes} more if the total stays within {@code limit}; false (and nothing taken) otherwise. */
    boolean take(long bytes, long limit) {
        while (true) {
            long now = held.get();
            if (now + bytes > limit) return false;
            if (held.compareAndSet(now, now + bytes)) return true;
        }
    }

    void give(long bytes) {
        held.addAndGet(-bytes);
    }
}
