package org.realplexor.net.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for the WAIT handler on the streams of a connection the admission refused: the
 * same short 503 an HTTP/1.1 connection gets, through the same adapter; the connection then ends.
 */
final class Refusal extends ChannelInboundHandlerAdapter {
    private final String why;

    Refusal(String why) {
        this.why = why;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuf answer = Unpooled.wrappedBuffer(
                ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                                + "Retry-After: 5\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1),
                body);
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }
}
