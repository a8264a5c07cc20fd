package org.realplexor.net.h2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Waits for the TLS handshake, then makes the connection HTTP/2 (ALPN chose {@code h2}) or
 * HTTP/1.1 (anything else: the WAIT handler, as without HTTP/2), and leaves the pipeline. The
 * WAIT handler starts (admission, HEAD_TIMEOUT) when it is added, after the handshake; until
 * then SslHandler's handshake timeout bounds the connection.
 */
final class Negotiation extends ChannelInboundHandlerAdapter {
    private final Supplier<ChannelHandler> http1;
    private final BiConsumer<Channel, String> h2;
    /** Bytes decrypted before the choice (none in practice: the handshake's end comes first). */
    private List<Object> early;

    private boolean chosen;

    Negotiation(Supplier<ChannelHandler> http1, BiConsumer<Channel, String> h2) {
        this.http1 = http1;
        this.h2 = h2;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Held back: the next handler is chosen after the handshake and is told then.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                ctx.close();
                return;
            }
            String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
            chosen = true;
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                h2.accept(ctx.channel(), ctx.name());
            } else {
                ctx.pipeline().addAfter(ctx.name(), null, http1.get());
            }
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
            return;
        }
        // The client's end of input before the handshake's: there will be no request.
        if (!chosen && evt instanceof ChannelInputShutdownEvent) ctx.close();
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (chosen) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (early == null) early = new ArrayList<>(1);
        early.add(msg);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (early == null) return;
        List<Object> msgs = early;
        early = null;
        for (Object m : msgs) ctx.fireChannelRead(m);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Before the choice no handler after this one has seen the connection start.
        if (early != null) early.forEach(ReferenceCountUtil::release);
        early = null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a failed handshake: SslHandler has said what it had to
    }
}
