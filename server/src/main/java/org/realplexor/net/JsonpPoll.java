package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitRequest;

/** A JSONP long-poll: its own class, so that a plain poll carries no field for the callback. */
final class JsonpPoll extends LongPoll {
    /** {@code );} after a JSONP answer: shared, direct (see {@link #wrap}). */
    static final ByteBuf CLOSE =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer(2).writeBytes(WaitAnswer.jsonpClose()));

    /** {@code NAME(}. */
    private final byte[] jsonpOpen;

    JsonpPoll(WaitHandler handler, ChannelHandlerContext ctx, WaitRequest req) {
        super(handler, ctx, req);
        this.jsonpOpen = WaitAnswer.jsonpOpen(req.callback());
    }

    /**
     * The body is the Hub's render, shared with every poll asking for the same messages, so
     * the callback goes around it here, per connection, as two more buffers of one write: the
     * render is neither copied nor changed. All three are direct, or the transport would copy
     * the whole answer into one direct buffer on the way out.
     */
    @Override
    protected ByteBuf wrap(ByteBuf body) {
        ByteBuf open = ctx.alloc().directBuffer(jsonpOpen.length).writeBytes(jsonpOpen);
        return Unpooled.wrappedBuffer(open, body, CLOSE.duplicate());
    }
}
