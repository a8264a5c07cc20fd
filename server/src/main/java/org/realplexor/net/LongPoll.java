package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import org.realplexor.hub.Listener;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitRequest;

/**
 * A long-poll: the head goes out at once, then one answer, then the connection ends. What a
 * held poll costs is this object and its handler: it carries the handler (which ends the
 * connection) and the channel's context, nothing else.
 */
class LongPoll extends Listener {
    protected final WaitHandler handler;
    protected final ChannelHandlerContext ctx;

    LongPoll(WaitHandler handler, ChannelHandlerContext ctx, WaitRequest req) {
        super(req.idArray(), req.cursorArray());
        this.handler = handler;
        this.ctx = ctx;
    }

    /** Writes the head (not flushed: see WaitHandler#registerThenFlush) and makes the listener. */
    static LongPoll open(
            WaitHandler handler,
            ChannelHandlerContext ctx,
            WaitRequest req,
            WaitContext cx,
            String corsHeaders,
            boolean kept) {
        if (kept) return KeptPoll.open(handler, ctx, req, cx, corsHeaders);
        if (req.route() == WaitRequest.Route.JSONP) {
            ctx.write(Unpooled.wrappedBuffer(WaitAnswer.jsonpHead(cx.settings.charset(), corsHeaders)));
            return new JsonpPoll(handler, ctx, req);
        }
        // The head every poll without an Origin gets is shared, never copied per connection.
        ctx.write(
                corsHeaders.isEmpty()
                        ? cx.plainHead.duplicate()
                        : Unpooled.wrappedBuffer(WaitAnswer.head(cx.settings.charset(), corsHeaders)));
        return new LongPoll(handler, ctx, req);
    }

    /** The bytes that go out for the Hub's render (the render itself for a plain poll). */
    protected ByteBuf wrap(ByteBuf body) {
        return body;
    }

    @Override
    protected boolean streaming() {
        return false;
    }

    /** The Hub's answer, written on the channel's loop unless the poll ended meanwhile. */
    @Override
    protected void answer(ByteBuf body) {
        ByteBuf mine = body.retainedDuplicate();
        ctx.executor().execute(() -> {
            if (handler.waiting(this)) {
                handler.end(ctx, wrap(mine));
            } else {
                mine.release();
            }
        });
    }

    @Override
    protected void endWithoutMessage() {
        ctx.executor().execute(() -> {
            if (handler.waiting(this)) handler.end(ctx, null);
        });
    }
}
