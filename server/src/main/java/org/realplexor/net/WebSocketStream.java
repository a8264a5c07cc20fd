package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitRequest;

/**
 * A WebSocket stream on the WAIT line: a {@code {"cursors":{...}}} frame first, then one text
 * frame per message in the long-poll part's shape. Client frames carry nothing for us; the
 * handler answers pings and closes.
 */
final class WebSocketStream extends PushStream {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    WebSocketStream(ChannelHandlerContext ctx, String[] ids, Cursor[] cursors) {
        super(ctx, ids, cursors);
    }

    /**
     * Writes the 101 answer (not flushed: see WaitHandler#registerThenFlush), puts the frame codec
     * before the handler, and makes the listener.
     */
    static WebSocketStream open(ChannelHandlerContext ctx, WaitRequest req, String corsHeaders) {
        ctx.write(Unpooled.wrappedBuffer(handshake(req.header("Sec-WebSocket-Key"), corsHeaders)));
        // The encoder goes first: the decoder's own Close frame for a protocol error then passes
        // through it on the way out, instead of the connection ending without one.
        ctx.pipeline().addBefore(ctx.name(), "ws-encoder", new WebSocket13FrameEncoder(false));
        ctx.pipeline().addBefore(ctx.name(), "ws-decoder", new WebSocket13FrameDecoder(true, false, 65536));
        return new WebSocketStream(ctx, req.idArray(), req.cursorArray());
    }

    /**
     * Frames from a WebSocket client: answer pings and closes, ignore the rest. A client that
     * sends pings but does not read the pongs would pile them up in our memory: past the write
     * water mark (see ServerSockets) the connection ends instead.
     */
    static void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!ctx.channel().isWritable()) {
            ctx.close();
            return;
        }
        if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
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
                        + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
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
            byte[] text = WaitAnswer.streamPart(p).getBytes(StandardCharsets.UTF_8);
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
        if (keepsUp())
            ctx.channel().writeAndFlush(new PingWebSocketFrame(), ctx.channel().voidPromise());
    }

    /** Server stop: a "going away" close, then the socket. */
    @Override
    protected void endWithoutMessage() {
        ctx.channel()
                .writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void send(String text) {
        ctx.channel().writeAndFlush(new TextWebSocketFrame(text), ctx.channel().voidPromise());
    }
}
