package org.realplexor.net.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;

/**
 * How a request's end and the server's graceful end look under TLS, so that WaitHandler and
 * InHandler need not know whether their connection is encrypted.
 *
 * <p>The client's end of input is either its close_notify (a TLS-level half-close) or a TCP
 * FIN under the TLS layer (PHP's {@code ssl://} stream with stream_socket_shutdown does this):
 * both reach the handlers as one {@link ChannelInputShutdownEvent}, as a plain half-close does.
 * The server's own half-close sends close_notify before the TCP FIN: without it an answer that
 * ends at the connection's end would look truncated to the client.
 */
@ChannelHandler.Sharable
public final class TlsEnds extends ChannelInboundHandlerAdapter {
    public static final TlsEnds INSTANCE = new TlsEnds();

    private TlsEnds() {}

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent close) {
            // close_notify received: the client sends nothing more (a failed "close" is the
            // connection going away, which channelInactive reports).
            if (close.isSuccess()) ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent && closeNotifyReceived(ctx.channel())) {
            return; // the TCP FIN after a close_notify: already reported
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static boolean closeNotifyReceived(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        return ssl != null && ssl.sslCloseFuture().isSuccess();
    }

    /**
     * Ends the server's output before the TCP half-close: on a TLS connection its close_notify
     * goes first (the future completes once it is written); on a plain one there is nothing
     * to do.
     */
    public static ChannelFuture closeOutput(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        return ssl == null ? ch.newSucceededFuture() : ssl.closeOutbound();
    }

    /** Whether the connection is encrypted. */
    public static boolean encrypted(Channel ch) {
        return ch.pipeline().get(SslHandler.class) != null;
    }
}
