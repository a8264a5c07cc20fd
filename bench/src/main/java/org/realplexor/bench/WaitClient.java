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
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * One browser client on one id, as dklab_realplexor.js behaves: poll, read the answer to the
 * server's close, remember the id's cursor, poll again at once with {@code CURSOR:id}. Or, with
 * a streaming transport (EventSource, WebSocket), as sdk-js does where it can: one connection
 * that gets every message. All of its state is touched on its own event loop only.
 */
final class WaitClient {
    /** What a scenario learns from its listeners (called on the listener's event loop). */
    interface Events {
        /** The head of a (re)connection arrived: the server has registered this poll. */
        void registered(WaitClient l);

        void delivered(WaitClient l, long seq, long publishNanos, long receivedNanos, boolean duplicate);

        void failed(WaitClient l, String what);
    }

    final int index;
    final String id;
    final Transport transport;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Loopback net;
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

    WaitClient(int index, String id, Transport transport, Loopback net, InetSocketAddress server, Events events) {
        this.index = index;
        this.id = id;
        this.transport = transport;
        this.loop = net.loop(index);
        this.bootstrap = net.bootstrap(loop);
        this.net = net;
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
        ChannelFuture f = bootstrap
                .clone()
                .handler(net.waitClient(newConnection(), server))
                .connect(server, source);
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess() && !stopped) {
                events.failed(this, "connect: " + done.cause());
                loop.schedule(this::connect, 20, TimeUnit.MILLISECONDS);
            }
        });
    }

    private ChannelInboundHandlerAdapter newConnection() {
        return switch (transport) {
            case LONGPOLL -> new Poll();
            // The first poll is a plain one: its head says the server has registered it, which a
            // kept poll's (sent with its answer) cannot. Every later one is kept.
            case KEPTPOLL -> cursor == null ? new Poll() : new KeptPoll();
            case EVENTSOURCE -> new EventStream();
            case WEBSOCKET -> new WebSocketConnection();
        };
    }

    /** Takes the cursor and sequence number of each part; counts duplicates. */
    private void parts(byte[] json, long receivedNanos) throws AnswerParser.MalformedAnswer {
        AnswerParser.parse(json, 0, json.length, id, (c, seq, t) -> {
            cursor = c;
            boolean dup = seen.get((int) seq);
            if (dup) {
                duplicates++;
            } else {
                seen.set((int) seq);
            }
            events.delivered(WaitClient.this, seq, t, receivedNanos, dup);
        });
    }

    /**
     * A streaming connection: after the head (or the 101 of a WebSocket), one message after the
     * other for the whole run; should it end, a new one from the last cursor (counted as an
     * error: the server ends streams only on shutdown or for a client that stopped reading).
     */
    private abstract class StreamConnection extends ChannelInboundHandlerAdapter {
        private final HeadMatcher head = new HeadMatcher();
        private boolean connected;

        abstract ByteBuf request(ChannelHandlerContext ctx, String items);

        /** Bytes after the head; {@code now} is when they were read. */
        abstract void body(ByteBuf in, long now);

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connected = true;
            ctx.writeAndFlush(request(ctx, cursor == null ? id : cursor + ":" + id));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            long now = System.nanoTime();
            try {
                if (!head.done() && head.feed(in)) {
                    registrations++;
                    events.registered(WaitClient.this);
                }
                if (head.done() && in.isReadable()) {
                    body(in, now);
                }
            } finally {
                in.release();
            }
        }

        /** One message: a part of the long-poll answer's shape, {"ids":...,"data":...}. */
        void part(String json, long now) {
            try {
                parts(("[" + json + "]").getBytes(StandardCharsets.UTF_8), now);
            } catch (AnswerParser.MalformedAnswer e) {
                events.failed(WaitClient.this, "malformed message: " + e.getMessage() + ": " + json);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!connected || stopped) {
                return;
            }
            events.failed(WaitClient.this, head.done() ? "stream ended" : "closed before the head");
            connect();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.failed(WaitClient.this, cause.toString());
            ctx.close();
        }
    }

    /**
     * EventSource: events separated by a blank line; a message event's {@code data:} lines are
     * the part, the first event ({@code event: cursors}) and {@code :} heartbeats carry none.
     * The bench's payloads are ASCII, so each read can be decoded on its own.
     */
    private final class EventStream extends StreamConnection {
        private final StringBuilder pending = new StringBuilder();

        @Override
        ByteBuf request(ChannelHandlerContext ctx, String items) {
            return WaitRequest.encodeStream(ctx.alloc(), server, items);
        }

        @Override
        void body(ByteBuf in, long now) {
            pending.append(in.toString(StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                String event = pending.substring(0, end);
                pending.delete(0, end + 2);
                if (event.startsWith(":") || event.startsWith("event: ") || event.contains("\nevent: ")) {
                    continue;
                }
                StringBuilder data = new StringBuilder();
                for (String line : event.split("\n")) {
                    if (line.startsWith("data: "))
                        data.append(line, 6, line.length()).append('\n');
                }
                part(data.toString(), now);
            }
        }
    }

    /**
     * WebSocket: unmasked frames from the server; a text frame is a part, except the first
     * ({"cursors":...}); pings need no answer here (the server does not wait for pongs).
     */
    private final class WebSocketConnection extends StreamConnection {
        private ByteBuf pending;

        @Override
        ByteBuf request(ChannelHandlerContext ctx, String items) {
            pending = ctx.alloc().heapBuffer(1024);
            return WaitRequest.encodeWebSocket(ctx.alloc(), server, items);
        }

        @Override
        void body(ByteBuf in, long now) {
            pending.writeBytes(in);
            while (pending.readableBytes() >= 2) {
                int start = pending.readerIndex();
                int opcode = pending.getByte(start) & 0x0F;
                int len7 = pending.getByte(start + 1) & 0x7F;
                int header = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
                if (pending.readableBytes() < header) {
                    break;
                }
                long len = len7 == 126
                        ? pending.getUnsignedShort(start + 2)
                        : len7 == 127 ? pending.getLong(start + 2) : len7;
                if (pending.readableBytes() < header + len) {
                    break;
                }
                String payload = pending.toString(start + header, (int) len, StandardCharsets.UTF_8);
                pending.skipBytes(header + (int) len);
                if (opcode == 1 && !payload.startsWith("{\"cursors\"")) {
                    part(payload, now);
                }
            }
            pending.discardReadBytes();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
            super.channelInactive(ctx);
        }
    }

    /**
     * Polls on one kept connection ({@code keepalive=1}): read each answer by its Content-Length,
     * then send the next poll at once. The server registers it as it arrives, so the listener
     * counts as listening again once the request is written. A close is an error (the server
     * closes a kept connection only when idle), then a new connection from the cursor.
     */
    private final class KeptPoll extends ChannelInboundHandlerAdapter {
        private ByteBuf pending;
        private int bodyStart = -1;
        private int length;
        private boolean connected;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connected = true;
            pending = ctx.alloc().heapBuffer(512);
            poll(ctx);
        }

        private void poll(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(WaitRequest.encodeKept(ctx.alloc(), server, cursor + ":" + id))
                    .addListener(f -> {
                        if (f.isSuccess()) {
                            registrations++;
                            events.registered(WaitClient.this);
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            long now = System.nanoTime();
            try {
                pending.writeBytes(in);
            } finally {
                in.release();
            }
            while (true) {
                if (bodyStart < 0) {
                    int end = ByteBufUtil.indexOf(HEAD_END, pending);
                    if (end < 0) {
                        return;
                    }
                    String head = pending.toString(
                            pending.readerIndex(), end - pending.readerIndex(), StandardCharsets.ISO_8859_1);
                    int at = head.indexOf("Content-Length: ");
                    if (at < 0) {
                        events.failed(WaitClient.this, "kept answer without a length: " + head);
                        ctx.close();
                        return;
                    }
                    int eol = head.indexOf('\r', at);
                    length = Integer.parseInt(head.substring(at + 16, eol < 0 ? head.length() : eol));
                    bodyStart = end + 4;
                }
                if (pending.writerIndex() < bodyStart + length) {
                    return;
                }
                byte[] body = new byte[length];
                pending.getBytes(bodyStart, body);
                pending.readerIndex(bodyStart + length);
                pending.discardReadBytes();
                bodyStart = -1;
                try {
                    parts(body, now);
                } catch (AnswerParser.MalformedAnswer e) {
                    events.failed(WaitClient.this, "malformed answer: " + e.getMessage());
                }
                if (!stopped) {
                    poll(ctx);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
            if (connected && !stopped) {
                events.failed(WaitClient.this, "kept connection closed");
                connect();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.failed(WaitClient.this, cause.toString());
            ctx.close();
        }
    }

    private static final ByteBuf HEAD_END = io.netty.buffer.Unpooled.unreleasableBuffer(
            io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}));

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
                    events.registered(WaitClient.this);
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
                    events.failed(WaitClient.this, "closed before the head");
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
            try {
                parts(ByteBufUtil.getBytes(body), now);
            } catch (AnswerParser.MalformedAnswer e) {
                events.failed(WaitClient.this, "malformed answer: " + e.getMessage());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.failed(WaitClient.this, cause.toString());
            ctx.close();
        }
    }
}
