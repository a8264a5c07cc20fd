package org.realplexor.net.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one translator between an HTTP/2 stream and the WAIT handler above it, which is the same
 * handler an HTTP/1.1 connection gets and sees its stream as a connection: the request's
 * HEADERS (and DATA) frames become the HTTP/1.1 request bytes it reads, the HTTP/1.1 answer it
 * writes becomes one HEADERS frame and DATA frames, and its close ends the stream: with
 * END_STREAM when the answer went out whole, else with RST_STREAM, so that a cut answer never
 * looks complete (as a reset does on HTTP/1.1).
 *
 * <p>Per held stream it keeps a few fields; the request's bytes are handed over and dropped,
 * and the answer's head is read from a small buffer that is dropped once the head is out.
 */
final class StreamAdapter extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(StreamAdapter.class);

    private final H2Connection connection;
    /** The request's body is kept up to this many bytes (WAIT_MAXLEN + 1: past it the handler decides anyway). */
    private final int maxBody;

    /** The request's fields until its end arrives, then null. */
    private List<String[]> fields;

    private ByteBuf body;
    private boolean delivered;

    /** The answer's head while it is being written, then null. */
    private byte[] head = new byte[0];

    private int headLength;
    private boolean headSent;
    /** The answer's Content-Length, or -1; and the body bytes sent. */
    private long contentLength = -1;

    private long sent;
    /** The future of the last frame written: writes complete in order, so it tells whether all are out. */
    private ChannelFuture lastWrite;

    private boolean failed;
    private boolean ended;

    StreamAdapter(H2Connection connection, int maxBody) {
        this.connection = connection;
        this.maxBody = maxBody;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connection.streamOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connection.streamClosed();
        fields = null;
        head = null;
        if (body != null) {
            body.release();
            body = null;
        }
        super.channelInactive(ctx);
    }

    // ---- inbound: frames to request bytes ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame h) {
            if (!delivered && fields == null) fields = fields(h.headers());
            if (h.isEndStream()) deliver(ctx);
        } else if (msg instanceof Http2DataFrame d) {
            try {
                if (!delivered) {
                    ByteBuf c = d.content();
                    if (body == null) body = ctx.alloc().heapBuffer(Math.min(c.readableBytes(), maxBody));
                    body.writeBytes(c, Math.min(c.readableBytes(), maxBody - body.readableBytes()));
                    if (d.isEndStream() || body.readableBytes() >= maxBody) deliver(ctx);
                }
            } finally {
                d.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The request is whole (or as long as the handler will read): hand it over as HTTP/1.1 bytes. */
    private void deliver(ChannelHandlerContext ctx) {
        if (delivered || fields == null) return;
        delivered = true;
        int bodyLength = body == null ? 0 : body.readableBytes();
        byte[] requestHead;
        try {
            requestHead = RequestHead.http1(fields, bodyLength);
        } catch (RequestHead.Malformed e) {
            log.debug("malformed HTTP/2 request on {}: {}", ctx.channel(), e.getMessage());
            reset(ctx, Http2Error.PROTOCOL_ERROR);
            return;
        } finally {
            fields = null;
        }
        ByteBuf out = body == null
                ? Unpooled.wrappedBuffer(requestHead)
                : Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(requestHead), body);
        body = null;
        ctx.fireChannelRead(out);
        ctx.fireChannelReadComplete();
    }

    private static List<String[]> fields(Http2Headers headers) {
        List<String[]> out = new ArrayList<>(headers.size());
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            out.add(new String[] {e.getKey().toString(), e.getValue().toString()});
        }
        return out;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        // The client's RST_STREAM: the stream closes next, and the handler hears of it as a closed connection.
        if (evt instanceof Http2ResetFrame) return;
        super.userEventTriggered(ctx, evt);
    }

    // ---- outbound: answer bytes to frames ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            // Only bytes come from the WAIT handler; anything else would be a stream frame of our own.
            ctx.write(msg, promise);
            return;
        }
        if (ended || failed) {
            buf.release();
            promise.tryFailure(new IllegalStateException("the stream has ended"));
            return;
        }
        if (!headSent) {
            int before = headLength;
            int take = Math.min(buf.readableBytes(), ResponseHead.MAX_HEAD - headLength);
            if (head.length < headLength + take) head = Arrays.copyOf(head, headLength + take);
            buf.getBytes(buf.readerIndex(), head, headLength, take);
            headLength += take;
            int end = ResponseHead.end(head, headLength);
            if (end < 0) {
                buf.release();
                if (headLength >= ResponseHead.MAX_HEAD) {
                    fail(ctx, promise, "an answer head longer than " + ResponseHead.MAX_HEAD + " bytes");
                } else {
                    done(promise); // the rest of the head comes in a later write
                }
                return;
            }
            ResponseHead parsed;
            try {
                parsed = ResponseHead.parse(head, end);
            } catch (ResponseHead.Malformed e) {
                buf.release();
                fail(ctx, promise, e.getMessage());
                return;
            }
            if (parsed.chunked()) {
                // No WAIT answer is chunked (each ends with its connection); a new one that is must not reach
                // an HTTP/2 client with its chunk framing in the body.
                buf.release();
                fail(ctx, promise, "a chunked answer (not translated)");
                return;
            }
            buf.skipBytes(end - before);
            headSent = true;
            head = null;
            contentLength = parsed.contentLength();
            boolean bodyHere = buf.isReadable();
            frame(ctx, new DefaultHttp2HeadersFrame(headers(parsed)), bodyHere ? ctx.newPromise() : promise);
            if (!bodyHere) {
                buf.release();
                return;
            }
        }
        if (!buf.isReadable()) {
            // An empty write (an end waiting for what was written before): done when those are.
            buf.release();
            if (lastWrite == null || lastWrite.isDone()) done(promise);
            else lastWrite.addListener(f -> done(promise));
            return;
        }
        sent += buf.readableBytes();
        frame(ctx, new DefaultHttp2DataFrame(buf), promise);
    }

    private void frame(ChannelHandlerContext ctx, Object frame, ChannelPromise promise) {
        ChannelPromise p = promise.isVoid() ? ctx.newPromise() : promise;
        lastWrite = ctx.write(frame, p);
    }

    private static void done(ChannelPromise promise) {
        promise.trySuccess();
    }

    private static Http2Headers headers(ResponseHead h) {
        Http2Headers out = new DefaultHttp2Headers(false, h.headers().size() + 1);
        out.status(Integer.toString(h.status()));
        for (String[] f : h.headers()) out.add(f[0], f[1]);
        return out;
    }

    private void fail(ChannelHandlerContext ctx, ChannelPromise promise, String why) {
        log.warn("an answer could not be sent over HTTP/2 ({}); the stream was reset", why);
        failed = true;
        promise.tryFailure(new IllegalStateException(why));
        reset(ctx, Http2Error.INTERNAL_ERROR);
    }

    private void reset(ChannelHandlerContext ctx, Http2Error error) {
        if (ended) return;
        ended = true;
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(error));
        ctx.close();
    }

    /**
     * The handler ends its connection: the stream ends. Whole answer (head out, every write done,
     * the Content-Length met): END_STREAM. Anything less: RST_STREAM (the channel's own close
     * sends CANCEL), as a reset ends a cut answer on HTTP/1.1.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!ended) {
            ended = true;
            boolean whole = headSent
                    && !failed
                    && (lastWrite == null || lastWrite.isDone() && lastWrite.isSuccess())
                    && (contentLength < 0 || contentLength == sent);
            if (whole) ctx.writeAndFlush(new DefaultHttp2DataFrame(true));
        }
        ctx.close(promise);
    }
}
