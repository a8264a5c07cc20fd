package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.realplexor.hub.Listener;
import org.realplexor.protocol.Cursor;

/** A listener that stays open and gets every message (SSE, WebSocket), never one answer. */
abstract class Stream extends Listener {
    protected final ChannelHandlerContext ctx;

    Stream(ChannelHandlerContext ctx, String[] ids, Cursor[] cursors) {
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
}
