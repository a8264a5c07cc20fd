package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import org.realplexor.protocol.WaitReader;

/**
 * The cycle of a kept-alive WAIT connection ({@code keepalive=1}): the next request's bytes wait
 * while its {@link KeptPoll} is held, the poll's answer goes out, and once it is handed to the
 * socket the next request is read. Apart from {@link WaitHandler} so that the handler reads as
 * one request's life; static, on the handler's own fields, so that neither the handler nor a
 * held poll carries anything for it.
 */
final class KeptCycle {
    private KeptCycle() {}

    /** Where the next request's bytes wait while a kept poll is held (the client sent them early). */
    static WaitReading early(WaitHandler h) {
        if (h.reading == null) h.reading = new WaitReading(new WaitReader(h.cx.scanner, h.cx.rules), 0);
        return h.reading;
    }

    /**
     * A kept poll's whole answer ({@link KeptPoll#framed}): written, and once it is handed to the
     * socket the connection reads the next request. Not corked: no close follows it. An answer the
     * client does not take within SEND_TIMEOUT resets the connection, as on any poll.
     */
    static void answer(WaitHandler h, ChannelHandlerContext ctx, ByteBuf answer) {
        WaitEnding.letGo(h);
        h.listener = null;
        h.state = WaitHandler.State.READING;
        h.requestComplete = false;
        early(h).next = true;
        ChannelFuture f =
                GracefulClose.keep(ctx.channel(), answer, h.cx.cutAnswers, h.cx.timers, h.cx.settings.sendTimeoutMs());
        h.written = f;
        if (f.isDone()) next(h, ctx, f);
        else f.addListener(w -> next(h, ctx, f));
    }

    /** The kept answer {@code f} is out: the next request starts, with whatever of it arrived meanwhile. */
    private static void next(WaitHandler h, ChannelHandlerContext ctx, ChannelFuture f) {
        if (h.state != WaitHandler.State.READING || h.written != f || !f.isSuccess()) return;
        h.written = null;
        WaitIdle.start(h, ctx);
        WaitReading r = h.reading;
        if (r.length > 0 || h.inputClosed || r.cut)
            h.decide(ctx, r.read(null, h.cx.settings.waitMaxlen(), h.inputClosed));
    }
}
