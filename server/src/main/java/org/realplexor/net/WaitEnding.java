package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

/**
 * How a WAIT connection ends: its answer, written corked under SEND_TIMEOUT (see
 * {@link GracefulClose}); the client's half-close; the close, with the admission's counts given
 * back once. Apart from {@link WaitHandler} so that the handler reads as one request's life;
 * static, on the handler's own fields, so that a held poll carries nothing for it.
 */
final class WaitEnding {
    private WaitEnding() {}

    /** Stops reading requests and ends the connection with {@code answer} (null: no bytes). */
    static void end(WaitHandler h, ChannelHandlerContext ctx, Object answer) {
        if (h.state == WaitHandler.State.ENDING) return;
        h.state = WaitHandler.State.ENDING;
        letGo(h);
        WaitIdle.cancel(h);
        h.reading = null;
        // Unlike the IN line, a WAIT client sends nothing after its request, and everything it
        // sent was read while it waited: closing right after the write sends a plain FIN, as
        // the original did, and saves a half-close round trip per delivery.
        ByteBuf out = answer instanceof byte[] bytes
                ? Unpooled.wrappedBuffer(bytes)
                : answer == null ? Unpooled.EMPTY_BUFFER : (ByteBuf) answer;
        // Closing with client bytes still to come would make the kernel reset the connection
        // and destroy the answer: unless the request is known to be over, half-close and wait
        // for the client's end (see GracefulClose).
        h.written = GracefulClose.endCorked(
                ctx.channel(),
                out,
                h.inputClosed || h.requestComplete,
                h.cx.cutAnswers,
                h.cx.timers,
                h.cx.settings.sendTimeoutMs());
    }

    /**
     * The client half-closed or left: its request is all there is, so act on it now; a poll then
     * ends at once, with what it is owed from the queues if anything.
     */
    static void inputEnded(WaitHandler h, ChannelHandlerContext ctx) {
        HalfClosure.inputEnded(ctx.channel());
        h.inputClosed = true;
        if (h.state == WaitHandler.State.READING && h.written != null)
            return; // a kept answer is being written: see KeptCycle
        if (h.state == WaitHandler.State.READING) h.decide(ctx, h.reading.read(null, h.cx.settings.waitMaxlen(), true));
        if (h.state == WaitHandler.State.WAITING) {
            if (h.listener instanceof LongPoll) {
                h.cx.hub.inputEnded(h.listener);
                return;
            }
            h.cx.hub.unregister(h.listener);
            h.state = WaitHandler.State.ENDING;
        }
        GracefulClose.closeAfter(ctx.channel(), h.written);
    }

    /** The connection closed: counted out of the admission once, and its listener unregistered. */
    static void closed(WaitHandler h, ChannelHandlerContext ctx) {
        if (h.admitted) {
            h.admitted = false;
            h.cx.admission.closed(ctx.channel(), h.addressCounted);
        }
        letGo(h);
        WaitIdle.cancel(h);
        if (h.state == WaitHandler.State.WAITING) h.cx.hub.unregister(h.listener);
        h.state = WaitHandler.State.ENDING;
    }

    /** The listener is no longer held (answered, ended or gone): one count down, once. */
    static void letGo(WaitHandler h) {
        if (!h.held) return;
        h.held = false;
        h.cx.admission.held(h.listener, -1);
    }
}
