package org.realplexor.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which new IN connections may stay (IN_MAX_CONNECTIONS; 0 for no cap: a connection past it gets
 * a short 503, held ones are untouched), and the IN line's counters for the metrics: accepted,
 * refused, and answers by status. Shared by every event loop and kept across reloads.
 */
public final class InAdmission {
    private static final Logger log = LoggerFactory.getLogger(InAdmission.class);

    /** Slots of {@link #counters()}; answers by status are at {@link #statusSlot}. */
    public static final int ACCEPTED = 0;

    public static final int REFUSED = 1;
    private static final int FIRST_STATUS = 100;
    private static final int LAST_STATUS = 599;

    private final AtomicInteger open = new AtomicInteger();
    private final ChannelFutureListener closed = f -> open.decrementAndGet();
    private final LoopCounters counters = new LoopCounters(2 + LAST_STATUS - FIRST_STATUS + 1);
    private volatile long lastLog;

    /** Counts a new IN connection in; false when it is past {@code max} (it is then counted as refused). */
    boolean admit(Channel ch, int max) {
        long[] count = counters.here();
        if (max > 0 && open.incrementAndGet() > max) {
            open.decrementAndGet();
            count[REFUSED]++;
            long now = System.currentTimeMillis();
            if (now - lastLog >= 1000) {
                lastLog = now;
                log.warn(
                        "refusing new IN connections (503): the IN line holds IN_MAX_CONNECTIONS ({}) connections",
                        max);
            }
            return false;
        }
        if (max > 0) ch.closeFuture().addListener(closed);
        count[ACCEPTED]++;
        return true;
    }

    /** Counts an answer by the status in its first line ({@code HTTP/1.0 200 OK}); on the connection's loop. */
    void answered(byte[] answer) {
        answered(status(answer));
    }

    void answered(int code) {
        if (code >= FIRST_STATUS && code <= LAST_STATUS) counters.here()[statusSlot(code)]++;
    }

    /** The status code of an HTTP answer, or -1. */
    static int status(byte[] a) {
        if (a == null || a.length < 12 || a[8] != ' ') return -1;
        int code = 0;
        for (int i = 9; i < 12; i++) {
            if (a[i] < '0' || a[i] > '9') return -1;
            code = code * 10 + (a[i] - '0');
        }
        return code;
    }

    public static int statusSlot(int code) {
        return 2 + code - FIRST_STATUS;
    }

    public LoopCounters counters() {
        return counters;
    }
}
