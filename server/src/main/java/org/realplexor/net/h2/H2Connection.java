package org.realplexor.net.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timeout;
import org.realplexor.net.TimerWheel;

/**
 * One HTTP/2 connection on the WAIT line, last in its pipeline (after the frame codec and the
 * multiplexer): it holds the connection's admission (counted once, however many streams it
 * carries), counts its open streams, and ends a connection that has had no stream for the idle
 * time (HEAD_TIMEOUT, else WAIT_TIMEOUT: it waits for a request as an HTTP/1.1 connection does).
 * Runs on the connection's event loop, as its streams do.
 */
final class H2Connection extends ChannelInboundHandlerAdapter {
    /** Undoes the admission when the connection ends; null if it was refused. */
    private final Runnable release;
    /** Why the connection may not stay (its streams are answered 503 with it), or null. */
    final String refused;

    private final long idleMillis;
    private ChannelHandlerContext ctx;
    private int streams;
    private long idleSince;
    private Timeout idle;

    private final TimerWheel timers;

    H2Connection(Runnable release, String refused, long idleMillis, TimerWheel timers) {
        this.timers = timers;
        this.release = release;
        this.refused = refused;
        this.idleMillis = idleMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        idleSince = now();
        armIdle(idleMillis);
    }

    void streamOpened() {
        streams++;
    }

    void streamClosed() {
        if (--streams == 0) idleSince = now();
        if (refused != null && streams == 0) ctx.channel().close(); // its one 503 is out
    }

    private void armIdle(long millis) {
        if (idleMillis <= 0) return;
        idle = timers.after(millis, () -> ctx.executor().execute(this::idleCheck));
    }

    /** One timer per connection, re-armed from when the last stream ended, never per stream. */
    private void idleCheck() {
        idle = null;
        if (!ctx.channel().isActive()) return;
        if (streams > 0) {
            armIdle(idleMillis);
            return;
        }
        long left = idleSince + idleMillis - now();
        if (left > 0) armIdle(left);
        else ctx.channel().close(); // the codec's close: GOAWAY first
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Connection-level frames (SETTINGS, PING, GOAWAY): the codec has acted on them.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // The client's end of input (close_notify or FIN): HTTP/2 has no half-closed connection.
        if (evt instanceof ChannelInputShutdownEvent) ctx.close();
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idle != null) idle.cancel();
        if (release != null) release.run();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The codec tells of a connection error before it sends its GOAWAY (with the error's code,
        // e.g. ENHANCE_YOUR_CALM after a rapid-reset flood) and closes: a close here would go first.
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) return;
        ctx.close();
    }
}
