package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.Timeout;
import org.realplexor.net.tls.TlsEnds;

/**
 * Ends a connection without destroying its answer. Closing a socket that still has unread input,
 * or that receives a late byte, makes the kernel send a reset, and a reset can throw away the
 * answer before the client has read it. So: write, half-close our side, keep reading (and
 * dropping) until the client closes, and close for good only then or after a grace period.
 * An answer that cannot be written whole ends the connection with a reset, and is logged.
 */
final class GracefulClose {
    static final long GRACE_MILLIS = 5_000;

    private GracefulClose() {}

    /**
     * Writes {@code answer} (null: no bytes) and starts the graceful end.
     *
     * @param inputClosed the client already half-closed: close right after the write
     * @param timers      the server's, for the grace period
     * @return the write's future; see {@link #closeAfter}
     */
    static ChannelFuture endWith(Channel ch, ByteBuf answer, boolean inputClosed, CutAnswers cut, TimerWheel timers) {
        ByteBuf out = answer == null ? Unpooled.EMPTY_BUFFER : answer;
        int size = out.readableBytes();
        ChannelFuture written = ch.writeAndFlush(out);
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                if (size > 0) cut.report(ch, size, f.cause());
                reset(ch);
                return;
            }
            if (inputClosed || !(ch instanceof DuplexChannel d)) {
                ch.close();
                return;
            }
            if (TlsEnds.encrypted(ch)) {
                // Over TLS the close_notify goes first, then the FIN under it.
                TlsEnds.closeOutput(ch).addListener((ChannelFutureListener) n -> halfClose(ch, d, n.isSuccess()));
            } else {
                halfClose(ch, d, true);
            }
            Timeout t = timers.after(GRACE_MILLIS, ch::close);
            ch.closeFuture().addListener(c -> t.cancel());
        });
        return written;
    }

    /**
     * A WAIT answer's end: as {@link #endWith}, corked, and reset if the client does not take it.
     * Corked, the answer waits in the kernel for the close that follows, and goes out in one
     * segment with the FIN: one packet per delivery fewer for both ends.
     *
     * <p>An answer that did not fit in the kernel's socket buffer at once waits for the client
     * to read. One that never does (a window kept shut) would hold the connection and the answer
     * for ever; after {@code sendTimeoutMs} (SEND_TIMEOUT) the connection is reset (a clean end
     * would pass a cut answer off as whole), the answer's bytes are freed, and the log says so.
     */
    static ChannelFuture endCorked(
            Channel ch, ByteBuf answer, boolean inputClosed, CutAnswers cut, TimerWheel timers, long sendTimeoutMs) {
        if (answer.isReadable()) cork(ch);
        ChannelFuture written = endWith(ch, answer, inputClosed, cut, timers);
        if (!written.isDone()) {
            Timeout t = timers.after(sendTimeoutMs, () -> reset(ch));
            ch.closeFuture().addListener(f -> t.cancel());
        }
        return written;
    }

    /**
     * A client that reset the connection a moment ago may have its socket closed already (Netty
     * tells the handler by a task that runs later): then there is nothing to cork, and the write
     * that follows fails and releases the answer. Throwing here would skip that write and keep
     * the answer's bytes for ever.
     */
    private static void cork(Channel channel) {
        if (!(channel instanceof EpollSocketChannel ch) || !ch.isOpen()) return;
        try {
            ch.config().setTcpCork(true);
        } catch (ChannelException e) {
            // the connection failed under us: the write reports it
        }
    }

    private static void halfClose(Channel ch, DuplexChannel d, boolean ready) {
        if (!ready) {
            ch.close();
            return;
        }
        d.shutdownOutput().addListener((ChannelFutureListener) s -> {
            if (!s.isSuccess()) ch.close();
        });
    }

    /**
     * Ends the connection with a reset rather than a FIN: a client that did not get its whole
     * answer must see an error, not an answer that merely looks short. Any part of the answer
     * still unsent fails, and {@link CutAnswers} logs it.
     */
    static void reset(Channel ch) {
        if (!ch.eventLoop().inEventLoop()) {
            ch.eventLoop().execute(() -> reset(ch));
            return;
        }
        if (ch.isOpen()) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (ChannelException e) {
                // the socket failed under us: closing it is all there is left to do
            }
        }
        ch.close();
    }

    static ChannelFuture endWith(Channel ch, byte[] answer, boolean inputClosed, CutAnswers cut, TimerWheel timers) {
        return endWith(ch, answer == null ? null : Unpooled.wrappedBuffer(answer), inputClosed, cut, timers);
    }

    /**
     * A kept poll's answer ({@code keepalive=1}): written whole, and the connection stays. One the
     * client does not take within {@code sendTimeoutMs} (SEND_TIMEOUT) resets the connection, and a
     * failed one is logged as cut, as for {@link #endCorked}.
     */
    static ChannelFuture keep(Channel ch, ByteBuf answer, CutAnswers cut, TimerWheel timers, long sendTimeoutMs) {
        int size = answer.readableBytes();
        ChannelFuture written = ch.writeAndFlush(answer);
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                cut.report(ch, size, f.cause());
                reset(ch);
            }
        });
        if (!written.isDone()) {
            Timeout t = timers.after(sendTimeoutMs, () -> {
                if (!written.isDone()) reset(ch);
            });
            written.addListener(f -> t.cancel());
        }
        return written;
    }

    /** The client closed its side: close ours once the answer (if any is under way) is out. */
    static void closeAfter(Channel ch, ChannelFuture written) {
        if (written == null || written.isDone()) {
            ch.close();
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
