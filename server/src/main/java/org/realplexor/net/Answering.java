package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.Timeout;
import org.realplexor.net.tls.TlsEnds;
import org.realplexor.timer.TimerWheel;

/**
 * Ends a connection without destroying its answer. Closing a socket that still has unread input,
 * or that receives a late byte, makes the kernel send a reset, and a reset can throw away the
 * answer before the client has read it. So: write, half-close our side, keep reading (and
 * dropping) until the client closes, and close for good only then or after a grace period.
 */
final class Answering {
    static final long GRACE_MILLIS = 5_000;

    private Answering() {
    }

    /**
     * Writes {@code answer} (null: no bytes) and starts the graceful end.
     *
     * @param inputClosed the client already half-closed: close right after the write
     * @return the write's future; see {@link #closeAfter}
     */
    static ChannelFuture endWith(Channel ch, ByteBuf answer, boolean inputClosed) {
        ByteBuf out = answer == null ? Unpooled.EMPTY_BUFFER : answer;
        ChannelFuture written = ch.writeAndFlush(out);
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || inputClosed || !(ch instanceof DuplexChannel d)) {
                ch.close();
                return;
            }
            if (TlsEnds.encrypted(ch)) {
                // Over TLS the close_notify goes first, then the FIN under it.
                TlsEnds.closeOutput(ch).addListener((ChannelFutureListener) n -> halfClose(ch, d, n.isSuccess()));
            } else {
                halfClose(ch, d, true);
            }
            Timeout t = TimerWheel.after(GRACE_MILLIS, ch::close);
            ch.closeFuture().addListener(c -> t.cancel());
        });
        return written;
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

    static ChannelFuture endWith(Channel ch, byte[] answer, boolean inputClosed) {
        return endWith(ch, answer == null ? null : Unpooled.wrappedBuffer(answer), inputClosed);
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
