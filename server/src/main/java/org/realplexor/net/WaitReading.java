package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.util.Timeout;
import org.realplexor.protocol.WaitReader;
import org.realplexor.protocol.WaitStep;

/**
 * A WAIT request while it is read: its bytes, its reader, when it must have arrived, and the
 * timer that watches it. All of it lives on one object the handler drops once the request is
 * understood, so a held poll keeps none of it (unless its client already sent the next request
 * on a kept connection: then it holds those bytes, for the next reader).
 */
final class WaitReading extends ByteAccumulator {
    WaitReader reader;
    /** When the whole request must have arrived (monotonic ms, HEAD_TIMEOUT). */
    long headDeadline;
    /** A request after a kept poll's answer: silence before its first byte is an idle connection. */
    boolean next;
    /** Bytes were dropped past the limit: nothing more will be read, and the connection is not kept. */
    boolean cut;
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
        if (in != null) add(in, maxlen);
        return reader.read(bytes, length, cut || length > maxlen || inputClosed);
    }

    /** Keeps {@code in} for a later {@link #read}, up to {@code maxlen} + 1 bytes in all. */
    void add(ByteBuf in, int maxlen) {
        if (!append(in, maxlen + 1)) cut = true;
    }

    /**
     * The request that ended at {@code end} was served on a kept connection: the bytes after it
     * are the start of the next one, read by {@code fresh}. False when there are none.
     */
    boolean restart(int end, WaitReader fresh) {
        consume(end);
        reader = fresh;
        next = true;
        return length > 0;
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
