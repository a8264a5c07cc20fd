package org.realplexor.net;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs answers that could not be written whole (the client reset or vanished, or the socket
 * failed): one warning line, then at most one line per {@link #EVERY_MILLIS} counting the others,
 * since a crowd of clients leaving at once must not flood the log. One per server, shared by
 * both lines and kept across reloads.
 */
final class CutAnswers {
    private static final Logger log = LoggerFactory.getLogger(CutAnswers.class);
    static final long EVERY_MILLIS = 10_000;

    private final AtomicLong lastLog = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unlogged = new AtomicLong();

    void report(Channel ch, int size, Throwable cause) {
        long now = System.nanoTime() / 1_000_000;
        long last = lastLog.get();
        if (last != Long.MIN_VALUE && now - last < EVERY_MILLIS || !lastLog.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        long others = unlogged.getAndSet(0);
        log.warn(
                "an answer of {} bytes to {} (on {}) could not be written whole: {}; the connection was reset{}",
                size,
                ch.remoteAddress(),
                ch.localAddress(),
                describe(cause),
                others == 0 ? "" : " (" + others + " more such answers since the last such line)");
    }

    /** The failure and, when it wraps another, the root cause (e.g. the system call that failed). */
    static String describe(Throwable cause) {
        if (cause == null) return "unknown failure";
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == cause ? cause.toString() : cause + " (" + root + ")";
    }
}
