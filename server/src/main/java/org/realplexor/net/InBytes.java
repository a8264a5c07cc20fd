package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import org.realplexor.protocol.InAnswer;

/**
 * The bytes an IN connection holds: the request under way and whatever of the next one followed
 * it on a kept-alive connection. The array's size counts in IN_BUFFERS from the read that grew it
 * until the connection ends or goes idle between two requests.
 */
final class InBytes extends ByteAccumulator {
    /** The size of {@link #bytes}, counted in {@link InBuffers}. */
    private long held;

    /**
     * Appends a read; null when it fits, else the refusal. IN_MAXLEN bounds each request; one read
     * may also hold the start of the next request on a kept-alive connection (or it arrives while
     * one is carried out: reading pauses, but not before the read under way). So up to twice that
     * is held, and a request over it is refused once it is the current one (see InHandler.complete).
     */
    byte[] add(ByteBuf in, InContext cx) {
        int max = cx.settings.inMaxlen();
        if (!append(in, 2 * max)) return tooLong(max);
        if (bytes.length > held) {
            long more = bytes.length - held;
            if (!cx.buffers.take(more, cx.settings.inBuffersBytes())) {
                return InAnswer.answer(
                        "503 Service Unavailable",
                        "unfinished requests already hold IN_BUFFERS=" + cx.settings.inBuffersBytes()
                                + " bytes; nothing was published, try again\n");
            }
            held += more;
        }
        return null;
    }

    /** Between two kept-alive requests: with nothing of the next one yet, an idle connection holds no buffer. */
    void idle(InContext cx) {
        if (length != 0) return;
        release(cx);
        bytes = new byte[256];
    }

    /** The connection ended: its bytes no longer count. */
    void release(InContext cx) {
        cx.buffers.give(held);
        held = 0;
    }

    static byte[] tooLong(int max) {
        return InAnswer.answer(
                "413 Request Entity Too Large",
                "the request is over IN_MAXLEN=" + max + " bytes; nothing was published\n");
    }
}
