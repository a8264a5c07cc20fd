package org.realplexor.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * One browser client on one id, as dklab_realplexor.js behaves: poll, read the answer to the
 * server's close, remember the id's cursor, poll again at once with {@code CURSOR:id}. All of its
 * state is touched on its own event loop only.
 */
final class Listener {
    /** What a scenario learns from its listeners (called on the listener's event loop). */
    interface Events {
        /** The head of a (re)connection arrived: the server has registered this poll. */
        void registered(Listener l);

        void delivered(Listener l, long seq, long publishNanos, long receivedNanos, boolean duplicate);

        void failed(Listener l, String what);
    }

    final int index;
    final String id;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress server;
    private final InetSocketAddress source;
    private final Events events;

    private String cursor;
    private final BitSet seen = new BitSet();
    private int duplicates;
    private int registrations;
    private Channel channel;
    private volatile boolean stopped;
    /** Scratch for a paced scenario: the last round this listener reported as complete. */
    int reportedRound = -1;

    Listener(int index, String id, Loopback net, InetSocketAddress server, Events events) {
        this.index = index;
        this.id = id;
        this.loop = net.loop(index);
        this.bootstrap = net.bootstrap(loop);
        this.server = server;
        this.source = net.source(index);
        this.events = events;
    }

    void start() {
        loop.execute(this::connect);
    }

    /** Stops reconnecting and closes the current poll. */
    void stop() {
        stopped = true;
        loop.execute(() -> Loopback.closeQuietly(channel));
    }

    /** Read only after {@link #stop()} has run on the loop, or on the loop itself. */
    boolean saw(long seq) {
        return seen.get((int) seq);
    }

    int duplicates() {
        return duplicates;
    }

    int registrations() {
        return registrations;
    }

    EventLoop loop() {
        return loop;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        ChannelFuture f = bootstrap.clone().handler(new Poll()).connect(server, source);
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess() && !stopped) {
                events.failed(this, "connect: " + done.cause());
                loop.schedule(this::connect, 20, TimeUnit.MILLISECONDS);
            }
        });
    }

    private final class Poll extends ChannelInboundHandlerAdapter {
        private final HeadMatcher head = new HeadMatcher();
        private ByteBuf body;
        /** When the answer's last bytes were read: its receive time (see channelInactive). */
        private long bodyReadNanos;
        private boolean connected;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connected = true;
            String items = cursor == null ? id : cursor + ":" + id;
            ctx.writeAndFlush(WaitRequest.encode(ctx.alloc(), server, items));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (!head.done() && head.feed(in)) {
                    registrations++;
                    events.registered(Listener.this);
                }
                if (head.done() && in.isReadable()) {
                    if (body == null) {
                        body = ctx.alloc().heapBuffer(256);
                    }
                    body.writeBytes(in);
                    bodyReadNanos = System.nanoTime();
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // The answer counts as received when its bytes were read, not now: Netty runs this
            // as a task after the event loop has read every ready socket, and behind the
            // reconnects of the listeners answered before; a browser on a machine of its own
            // would not wait for those. The close follows the bytes at once (the server sends
            // the FIN with them), so the time is that of the whole answer.
            long now = bodyReadNanos;
            try {
                if (!connected) {
                    return;
                }
                if (!head.done() && !stopped) {
                    events.failed(Listener.this, "closed before the head");
                } else if (body != null) {
                    answer(now);
                }
            } finally {
                if (body != null) {
                    body.release();
                    body = null;
                }
            }
            if (connected) {
                connect();
            }
        }

        private void answer(long now) {
            byte[] bytes = ByteBufUtil.getBytes(body);
            try {
                AnswerParser.parse(bytes, 0, bytes.length, id, (c, seq, t) -> {
                    cursor = c;
                    boolean dup = seen.get((int) seq);
                    if (dup) {
                        duplicates++;
                    } else {
                        seen.set((int) seq);
                    }
                    events.delivered(Listener.this, seq, t, now, dup);
                });
            } catch (AnswerParser.MalformedAnswer e) {
                events.failed(Listener.this, "malformed answer: " + e.getMessage());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.failed(Listener.this, cause.toString());
            ctx.close();
        }
    }
}
