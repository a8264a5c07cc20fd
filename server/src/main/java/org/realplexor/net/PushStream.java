package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.realplexor.hub.Listener;
import org.realplexor.protocol.Cursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A listener that stays open and gets every message (SSE, WebSocket), never one answer. */
abstract class PushStream extends Listener {
    private static final Logger log = LoggerFactory.getLogger(PushStream.class);

    protected final ChannelHandlerContext ctx;

    PushStream(ChannelHandlerContext ctx, String[] ids, Cursor[] cursors) {
        super(ids, cursors);
        this.ctx = ctx;
    }

    @Override
    protected final boolean streaming() {
        return true;
    }

    @Override
    protected final void answer(ByteBuf body) {
        throw new IllegalStateException("a stream is never answered");
    }

    /** Writes a render (see Hub#send); a stream that stopped reading ends instead. */
    @Override
    protected final void pushRendered(ByteBuf rendered) {
        if (keepsUp())
            ctx.channel()
                    .writeAndFlush(rendered.retainedDuplicate(), ctx.channel().voidPromise());
    }

    /**
     * Whether the client still takes what it is sent. One that stopped reading leaves every
     * write in our memory: past the line's high water mark (bytes neither sent nor in the
     * kernel's socket buffer, see {@link ServerSockets}) the stream ends instead. Nothing stored is
     * lost: the client reconnects with the cursors it last received and gets what it missed
     * from the queues.
     */
    protected final boolean keepsUp() {
        if (ctx.channel().isWritable()) return true;
        if (ctx.channel().isOpen()) {
            log.debug("closing a stream whose client stopped reading: {}", ctx.channel());
            ctx.channel().close();
        }
        return false;
    }
}
