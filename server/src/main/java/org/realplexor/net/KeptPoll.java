package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitRequest;

/**
 * A long-poll (or JSONP poll) that keeps its connection ({@code keepalive=1}, ours). Its answer
 * carries a Content-Length, so its head cannot go out before the answer: it waits here, and the
 * whole answer goes out at once, after which the connection reads the client's next poll. A
 * subclass, so that a poll without the opt-in carries none of these fields.
 */
final class KeptPoll extends LongPoll {
    private static final byte[] HEAD_END = "\r\n\r\n \r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** The body before the answer: the " \r\n" every poll's body starts with. */
    private static final int BODY_START = 3;

    /** The head up to and including {@code Content-Length: } (shared when it has no extra lines). */
    private final byte[] headStart;
    /** JSONP: {@code NAME(}; null for a plain poll. */
    private final byte[] jsonpOpen;

    private KeptPoll(WaitHandler handler, ChannelHandlerContext ctx, WaitRequest req, byte[] headStart) {
        super(handler, ctx, req);
        this.headStart = headStart;
        this.jsonpOpen = req.route() == WaitRequest.Route.JSONP ? WaitAnswer.jsonpOpen(req.callback()) : null;
    }

    /** Writes nothing yet: see {@link #framed}. */
    static KeptPoll open(
            WaitHandler handler, ChannelHandlerContext ctx, WaitRequest req, WaitContext cx, String extraHeaders) {
        boolean jsonp = req.route() == WaitRequest.Route.JSONP;
        byte[] start = !jsonp && extraHeaders.isEmpty()
                ? cx.keptHeadStart
                : WaitAnswer.keptHeadStart(cx.settings.charset(), jsonp, extraHeaders);
        return new KeptPoll(handler, ctx, req, start);
    }

    /**
     * The whole answer: a small head of this connection's own, then the Hub's render, which every
     * poll asking for the same messages shares (null: no message, the body is {@code " \r\n"}
     * alone). The render is neither copied nor changed; all parts are direct, so the transport
     * writes them as they are.
     */
    ByteBuf framed(ByteBuf render) {
        int body = BODY_START
                + (render == null ? 0 : render.readableBytes() + (jsonpOpen == null ? 0 : jsonpOpen.length + 2));
        byte[] length = Integer.toString(body).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf head = ctx.alloc()
                .directBuffer(
                        headStart.length + length.length + HEAD_END.length + (jsonpOpen == null ? 0 : jsonpOpen.length))
                .writeBytes(headStart)
                .writeBytes(length)
                .writeBytes(HEAD_END);
        if (render == null) return head;
        if (jsonpOpen == null) return Unpooled.wrappedBuffer(head, render);
        head.writeBytes(jsonpOpen);
        return Unpooled.wrappedBuffer(head, render, JsonpPoll.CLOSE.duplicate());
    }

    @Override
    protected void answer(ByteBuf body) {
        ByteBuf mine = body.retainedDuplicate();
        ctx.executor().execute(() -> {
            if (handler.waiting(this)) {
                KeptCycle.answer(handler, ctx, framed(mine));
            } else {
                mine.release();
            }
        });
    }

    @Override
    protected void endWithoutMessage() {
        ctx.executor().execute(() -> {
            if (handler.waiting(this)) KeptCycle.answer(handler, ctx, framed(null));
        });
    }
}
