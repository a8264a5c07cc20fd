package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.util.Timeout;
import org.realplexor.protocol.WaitReader;
import org.realplexor.protocol.WaitStep;

/**
 * A WAIT request while it is read: its bytes, its reader, when it must have arrived, and the
 * timer that watches it. All of it lives on one object the handler drops once the request is
 * understood, so a held poll keeps none of it.
 */
final class WaitReading extends ByteAccumulator {
    final WaitReader reader;
    /** When the whole request must have arrived (monotonic ms, HEAD_TIMEOUT). */
    final long headDeadline;
    /** WAIT_TIMEOUT and HEAD_TIMEOUT's next check. */
    private Timeout idle;

    WaitReading(WaitReader reader, long headDeadline) {
        this.reader = reader;
        this.headDeadline = headDeadline;
    }

    /**
     * Adds {@code in} (null: nothing new) and reads on. Past {@code maxlen} bytes (WAIT_MAXLEN),
     * or once the client half-closed, nothing more will be read: the reader decides now.
     */
    WaitStep read(ByteBuf in, int maxlen, boolean inputClosed) {
        boolean fits = in == null || append(in, maxlen + 1);
        return reader.read(bytes, length, !fits || length > maxlen || inputClosed);
    }

    void arm(TimerWheel timers, long millis, Runnable check) {
        idle = timers.after(millis, check);
    }

    void disarm() {
        if (idle != null) {
            idle.cancel();
            idle = null;
        }
    }
}
