package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.WaitAnswer;

/**
 * A WebSocket stream on the WAIT line: a {@code {"cursors":{...}}} frame first, then one text
 * frame per message in the long-poll part's shape. Client frames carry nothing for us; the
 * handler answers pings and closes.
 */
final class WebSocketStream extends Stream {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    WebSocketStream(ChannelHandlerContext ctx, String[] ids, Cursor[] cursors) {
        super(ctx, ids, cursors);
    }

    /** The 101 answer to a handshake with {@code key}. */
    static byte[] handshake(String key, String corsHeaders) {
        String accept;
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            accept = Base64.getEncoder().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return ("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n"
                + corsHeaders
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    protected void started(Map<String, Cursor> cursors) {
        send("{\"cursors\":" + WaitAnswer.idsJson(cursors) + "}");
    }

    /**
     * One text frame per part, rendered to wire bytes here (server frames are not masked) so
     * that every stream on the id writes the same bytes; the frame encoder lets them through.
     */
    @Override
    protected ByteBuf render(List<WaitAnswer.Part> parts, Map<String, Cursor> after) {
        ByteBuf out = Unpooled.directBuffer();
        for (WaitAnswer.Part p : parts) {
            byte[] text = ("{\"ids\":" + WaitAnswer.idsJson(p.ids()) + ",\"data\":"
                    + new String(p.data(), StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
            out.writeByte(0x81); // FIN, text
            if (text.length < 126) {
                out.writeByte(text.length);
            } else if (text.length <= 0xFFFF) {
                out.writeByte(126).writeShort(text.length);
            } else {
                out.writeByte(127).writeLong(text.length);
            }
            out.writeBytes(text);
        }
        return out;
    }

    @Override
    protected void heartbeat() {
        if (keepsUp()) ctx.channel().writeAndFlush(new PingWebSocketFrame(), ctx.channel().voidPromise());
    }

    /** Server stop: a "going away" close, then the socket. */
    @Override
    protected void endWithoutMessage() {
        ctx.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void send(String text) {
        ctx.channel().writeAndFlush(new TextWebSocketFrame(text), ctx.channel().voidPromise());
    }
}
