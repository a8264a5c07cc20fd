package org.realplexor.net;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.realplexor.net.tls.TlsContexts;
import org.realplexor.net.tls.TlsEnds;

/**
 * What every connection a line accepts gets: its read-buffer sizing and write watermark, a count
 * in the open connections until it closes, and its pipeline (TLS first on a TLS address, then
 * the line's own handler). Apart from {@link ServerSockets} so that binding and per-connection setup
 * read separately; one instance per line (plain or TLS), shared by all its listening sockets and
 * channels (a {@link ChannelInitializer} is sharable), so a held poll costs nothing here.
 */
final class LinePipeline extends ChannelInitializer<Channel> {
    /**
     * Read-buffer sizing, one instance for all channels of a line (Netty otherwise makes one per
     * channel). A WAIT request is a few hundred bytes to a few KB and then the connection only
     * waits: fixed 4 KB reads keep no adaptive state per held poll. Publishes vary from bytes
     * to megabytes: adaptive.
     */
    private static final RecvByteBufAllocator WAIT_READS = new FixedRecvByteBufAllocator(4096);

    private static final RecvByteBufAllocator IN_READS = new AdaptiveRecvByteBufAllocator();

    /**
     * How much a WAIT client may have waiting in our memory (written, not yet in the kernel's
     * socket buffer) before it counts as not reading: a stream then ends (see PushStream#keepsUp).
     * Generous, so that a burst to a slow but live client does not end its stream; bounded, so
     * that clients which never read cannot fill the heap.
     */
    private static final WriteBufferWaterMark WAIT_PENDING = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    final RecvByteBufAllocator reads;
    final WriteBufferWaterMark pending;
    private final AtomicInteger open;
    /** One listener for every channel's close: a lambda made per channel would cost each held poll 16 bytes. */
    private final ChannelFutureListener closed;

    private final Supplier<ChannelHandler> plain;
    /** The line's TLS contexts, or null for a plain address. */
    private final TlsContexts tls;

    private LinePipeline(
            RecvByteBufAllocator reads,
            WriteBufferWaterMark pending,
            AtomicInteger open,
            Supplier<ChannelHandler> plain,
            TlsContexts tls) {
        this.reads = reads;
        this.pending = pending;
        this.open = open;
        this.closed = f -> open.decrementAndGet();
        this.plain = plain;
        this.tls = tls;
    }

    static LinePipeline waitLine(AtomicInteger open, Supplier<ChannelHandler> plain, TlsContexts tls) {
        return new LinePipeline(WAIT_READS, WAIT_PENDING, open, plain, tls);
    }

    static LinePipeline inLine(AtomicInteger open, Supplier<ChannelHandler> plain, TlsContexts tls) {
        return new LinePipeline(IN_READS, WriteBufferWaterMark.DEFAULT, open, plain, tls);
    }

    @Override
    protected void initChannel(Channel ch) {
        open.incrementAndGet();
        ch.closeFuture().addListener(closed);
        // Over TLS the decryption goes first; the line's own handler then sees plain bytes, and
        // TlsEnds turns a close_notify into the same end-of-input event as a TCP half-close.
        if (tls == null) ch.pipeline().addLast(plain.get());
        else ch.pipeline().addLast(tls.newHandler(ch), TlsEnds.INSTANCE, plain.get());
    }
}
