package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitRequest;

/**
 * An EventSource stream on the WAIT line. Every event's {@code id} carries the cursor of every
 * listened id ({@code CURSOR:ID,...}, the identifier syntax), so the browser's automatic
 * reconnect sends them back as Last-Event-ID and resumes without loss or repeats.
 */
final class SseStream extends PushStream {

    SseStream(ChannelHandlerContext ctx, String[] ids, Cursor[] cursors) {
        super(ctx, ids, cursors);
    }

    /** Writes the head (not flushed: see WaitHandler#registerThenFlush) and makes the listener. */
    static SseStream open(ChannelHandlerContext ctx, WaitRequest req, String charset, String corsHeaders) {
        ctx.write(Unpooled.wrappedBuffer(head(charset, corsHeaders)));
        return new SseStream(ctx, req.idArray(), req.cursorArray());
    }

    static byte[] head(String charset, String corsHeaders) {
        return ("HTTP/1.1 200 OK\r\n"
                        + "Connection: close\r\n"
                        + "Content-Type: text/event-stream; charset=" + charset + "\r\n"
                        + "Cache-Control: no-store\r\n"
                        + "X-Accel-Buffering: no\r\n"
                        + corsHeaders
                        + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    protected void started(Map<String, Cursor> cursors) {
        // Named, so pages' onmessage never sees it; clients that listen for "cursors" learn the
        // concrete cursor of ids asked "from now" before any message arrives.
        write("retry: 1000\nid: " + eventId(cursors) + "\nevent: cursors\ndata: {\"cursors\":"
                + WaitAnswer.idsJson(cursors) + "}\n\n");
    }

    @Override
    protected ByteBuf render(List<WaitAnswer.Part> parts, Map<String, Cursor> after) {
        StringBuilder sb = new StringBuilder();
        for (WaitAnswer.Part p : parts) {
            sb.append("id: ").append(eventId(after)).append('\n');
            String json = WaitAnswer.streamPart(p);
            // SSE ends a line at CR, LF or CRLF: each line of the data becomes its own field.
            for (String line : json.split("\r\n|\r|\n", -1))
                sb.append("data: ").append(line).append('\n');
            sb.append('\n');
        }
        return direct(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void heartbeat() {
        if (keepsUp()) write(":\n\n");
    }

    @Override
    protected void endWithoutMessage() {
        ctx.channel().close();
    }

    @Override
    protected void endAfterWrites() {
        // Writes complete in order: the close waits for the events written before it.
        ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    static String eventId(Map<String, Cursor> cursors) {
        StringBuilder sb = new StringBuilder();
        cursors.forEach((id, c) -> {
            if (sb.length() > 0) sb.append(',');
            sb.append(c.text()).append(':').append(id);
        });
        return sb.toString();
    }

    private void write(String s) {
        ByteBuf b = Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
        ctx.channel().writeAndFlush(b, ctx.channel().voidPromise());
    }
}
