package org.realplexor.net;

import io.netty.channel.ChannelHandlerContext;
import org.realplexor.protocol.WaitAnswer;

/**
 * The clocks of a WAIT request while it is read: WAIT_TIMEOUT (inactivity) and HEAD_TIMEOUT
 * (the whole request). Apart from {@link WaitHandler} so that the handler reads as I/O; static,
 * because the deadline and the timer live on the handler's {@link WaitReading}, which a held
 * poll drops: nothing here adds to what a held poll costs.
 */
final class WaitIdle {
    private WaitIdle() {}

    /** HEAD_TIMEOUT and WAIT_TIMEOUT start for the request to come. */
    static void start(WaitHandler h, ChannelHandlerContext ctx) {
        h.lastRead = now();
        h.reading.headDeadline =
                h.cx.settings.headTimeoutMs() > 0 ? h.lastRead + h.cx.settings.headTimeoutMs() : Long.MAX_VALUE;
        arm(h, ctx, Math.min(h.cx.settings.waitTimeoutMs(), h.reading.headDeadline - h.lastRead));
    }

    private static void arm(WaitHandler h, ChannelHandlerContext ctx, long millis) {
        h.reading.arm(h.cx.timers, millis, () -> ctx.executor().execute(() -> check(h, ctx)));
    }

    /**
     * WAIT_TIMEOUT is an inactivity timer: a request still trickling in gets its time again. The
     * whole request must still arrive within HEAD_TIMEOUT, or a client sending a byte now and
     * then would hold its connection for ever.
     */
    private static void check(WaitHandler h, ChannelHandlerContext ctx) {
        if (h.state != WaitHandler.State.READING) return;
        WaitReading reading = h.reading;
        long t = now();
        if (reading.next
                && reading.length == 0
                && (t >= reading.headDeadline || t - h.lastRead >= h.cx.settings.waitTimeoutMs())) {
            h.end(ctx, null); // a kept connection idle between two polls: a plain close
            return;
        }
        if (t >= reading.headDeadline) {
            h.end(
                    ctx,
                    WaitAnswer.plain(
                            "408 Request Timeout",
                            "",
                            "the request did not arrive within HEAD_TIMEOUT (" + h.cx.settings.text("HEAD_TIMEOUT")
                                    + " s)\n"));
            return;
        }
        long left = h.lastRead + h.cx.settings.waitTimeoutMs() - t;
        if (left > 0) arm(h, ctx, Math.min(left, reading.headDeadline - t));
        else h.end(ctx, null);
    }

    /** The request's timer stops (it was understood, or the connection ends). */
    static void cancel(WaitHandler h) {
        if (h.reading != null) h.reading.disarm();
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
