package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timeout;
import org.realplexor.timer.TimerWheel;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.realplexor.hub.Listener;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitReader;
import org.realplexor.protocol.WaitRequest;
import org.realplexor.protocol.WaitStep;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * One WAIT connection: scans the request leniently until the identifier list is complete, then
 * either serves a static page, answers a CORS preflight, or registers a listener with the Hub.
 * Runs on the connection's event loop; after registration it holds no buffer, only the listener.
 */
final class WaitHandler extends ChannelInboundHandlerAdapter {
    private enum State { READING, WAITING, ENDING }

    private final Supplier<WaitContext> contexts;
    private WaitContext cx;
    /** The request while it is read; dropped once it is understood. */
    private WaitReading reading;
    private State state = State.READING;
    private Listener listener;
    private Timeout idle;
    private io.netty.channel.ChannelFuture written;
    /** When bytes last came in (monotonic ms): WAIT_TIMEOUT counts from there. */
    private long lastRead;
    /** Counted by the admission (and for its address): counted out again when it closes. */
    private boolean admitted;
    private boolean addressCounted;
    /** The client half-closed: everything it will send has been read. */
    private boolean inputClosed;
    /** The request is a head alone, and nothing came after it: nothing more will come. */
    private boolean requestComplete;
    /** The listener is counted as held in the admission's counters (until it ends). */
    private boolean held;

    WaitHandler(Supplier<WaitContext> contexts) {
        this.contexts = contexts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        cx = contexts.get();
        String refused = cx.admission.admit(ctx.channel(), cx.settings.waitMaxConnPerIp(), cx.settings.maxConnections());
        admitted = refused == null;
        addressCounted = admitted && cx.settings.waitMaxConnPerIp() > 0;
        if (refused != null) {
            end(ctx, plain("503 Service Unavailable", "Retry-After: 5\r\n", refused + "\n"));
            return;
        }
        // Until the identifier arrives, WAIT_TIMEOUT and HEAD_TIMEOUT run here; once
        // registered, the Hub owns WAIT_TIMEOUT.
        lastRead = now();
        reading = new WaitReading(new WaitReader(cx.scanner, cx.rules),
                cx.settings.headTimeoutMs() > 0 ? lastRead + cx.settings.headTimeoutMs() : Long.MAX_VALUE);
        armIdle(ctx, Math.min(cx.settings.waitTimeoutMs(), reading.headDeadline - lastRead));
        ctx.fireChannelActive();
    }

    private void armIdle(ChannelHandlerContext ctx, long millis) {
        idle = TimerWheel.after(millis, () -> ctx.executor().execute(() -> idleCheck(ctx)));
    }

    /**
     * WAIT_TIMEOUT is an inactivity timer: a request still trickling in gets its time again. The
     * whole request must still arrive within HEAD_TIMEOUT, or a client sending a byte now and
     * then would hold its connection for ever.
     */
    private void idleCheck(ChannelHandlerContext ctx) {
        if (state != State.READING) return;
        long t = now();
        if (t >= reading.headDeadline) {
            end(ctx, plain("408 Request Timeout", "the request did not arrive within HEAD_TIMEOUT ("
                    + cx.settings.text("HEAD_TIMEOUT") + " s)\n"));
            return;
        }
        long left = lastRead + cx.settings.waitTimeoutMs() - t;
        if (left > 0) armIdle(ctx, Math.min(left, reading.headDeadline - t));
        else end(ctx, null);
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.WAITING && msg instanceof WebSocketFrame frame) {
                onFrame(ctx, frame);
                return;
            }
            if (!(msg instanceof ByteBuf in)) return;
            if (state == State.WAITING) {
                stillActive();
                return;
            }
            if (state != State.READING) return;
            lastRead = now();
            boolean fits = reading.append(in, cx.settings.waitMaxlen() + 1);
            scan(ctx, fits);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Bytes on a held long-poll (real clients send none): the Hub restarts its WAIT_TIMEOUT. At
     * most once a tenth of it (and a second), so that a chatty client costs the Hub little; the
     * poll may then end up to that much early.
     */
    private void stillActive() {
        long t = now();
        if (listener instanceof LongPoll && t - lastRead >= Math.min(1000, cx.settings.waitTimeoutMs() / 10)) {
            lastRead = t;
            cx.hub.touch(listener);
        }
    }

    private void scan(ChannelHandlerContext ctx, boolean fits) {
        int len = reading.length;
        // Nothing more will be read (too long, or the client half-closed): decide now.
        boolean last = !fits || len > cx.settings.waitMaxlen() || inputClosed;
        WaitStep step = reading.reader.read(reading.bytes, len, last);
        if (step == WaitStep.MORE) return;
        requestComplete = reading.reader.requestOver();
        if (step instanceof WaitStep.Refused r) {
            end(ctx, plain(r.status(), r.reason() + "\n"));
        } else if (step instanceof WaitStep.Done d) {
            serve(ctx, d.request());
        } else {
            end(ctx, null);
        }
    }

    private void serve(ChannelHandlerContext ctx, WaitRequest req) {
        String corsHeaders = cx.cors.headers(req.origin());
        switch (req.route()) {
            case PREFLIGHT -> end(ctx, cx.cors.preflight(req.origin(), req.header("Access-Control-Request-Headers"))
                    .getBytes(StandardCharsets.ISO_8859_1));
            case IFRAME -> end(ctx, cx.pages.iframe(corsHeaders));
            case SCRIPT -> end(ctx, cx.pages.script(corsHeaders));
            default -> listen(ctx, req, corsHeaders);
        }
    }

    /**
     * The request asks to listen: from here on the connection holds no buffer, only its listener.
     * (A check of the request before it registers, on its ids, cursors or query, goes here.)
     */
    private void listen(ChannelHandlerContext ctx, WaitRequest req, String corsHeaders) {
        reading = null;
        state = State.WAITING;
        cancelIdle();
        switch (req.route()) {
            case WEBSOCKET -> {
                ctx.write(Unpooled.wrappedBuffer(WebSocketStream.handshake(req.header("Sec-WebSocket-Key"), corsHeaders)));
                // The encoder goes first: the decoder's own Close frame for a protocol error then passes
                // through it on the way out, instead of the connection ending without one.
                ctx.pipeline().addBefore(ctx.name(), "ws-encoder", new WebSocket13FrameEncoder(false));
                ctx.pipeline().addBefore(ctx.name(), "ws-decoder", new WebSocket13FrameDecoder(true, false, 65536));
                listener = new WebSocketStream(ctx, req.idArray(), req.cursorArray());
            }
            case SSE -> {
                ctx.write(Unpooled.wrappedBuffer(SseStream.head(cx.settings.charset(), corsHeaders)));
                listener = new SseStream(ctx, req.idArray(), req.cursorArray());
            }
            case JSONP -> {
                ctx.write(Unpooled.wrappedBuffer(WaitAnswer.jsonpHead(cx.settings.charset(), corsHeaders)));
                listener = new JsonpPoll(ctx, req.idArray(), req.cursorArray(), WaitAnswer.jsonpOpen(req.callback()));
            }
            default -> {
                ctx.write(corsHeaders.isEmpty()
                        ? cx.plainHead.duplicate()
                        : Unpooled.wrappedBuffer(WaitAnswer.head(cx.settings.charset(), corsHeaders)));
                listener = new LongPoll(ctx, req.idArray(), req.cursorArray());
            }
        }
        registerThenFlush(ctx);
    }

    /**
     * The head may reach the client only after the registration is queued on the Hub: a client
     * that publishes as soon as it sees the head must find itself registered (the Hub runs its
     * tasks in order, so the publish queues behind the registration).
     */
    private void registerThenFlush(ChannelHandlerContext ctx) {
        held = true;
        cx.admission.held(listener, 1);
        cx.hub.register(listener);
        ctx.flush();
    }

    /**
     * Frames from a WebSocket client: answer pings and closes, ignore the rest. A client that
     * sends pings but does not read the pongs would pile them up in our memory: past the write
     * water mark (see Listeners) the connection ends instead.
     */
    private void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!ctx.channel().isWritable()) {
            ctx.close();
            return;
        }
        if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
    }

    private static byte[] plain(String status, String body) {
        return plain(status, "", body);
    }

    /** @param headers extra header lines, each ending with CRLF */
    private static byte[] plain(String status, String headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ("HTTP/1.1 " + status + "\r\nConnection: close\r\nContent-Type: text/plain\r\n" + headers
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            HalfClosure.inputEnded(ctx.channel());
            // The client half-closed or left: its request is all there is, so act on it now; a
            // poll then ends at once, with what it is owed from the queues if anything.
            inputClosed = true;
            if (state == State.READING) scan(ctx, true);
            if (state == State.WAITING) {
                if (listener instanceof LongPoll) {
                    cx.hub.inputEnded(listener);
                    return;
                }
                cx.hub.unregister(listener);
                state = State.ENDING;
            }
            Answering.closeAfter(ctx.channel(), written);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            admitted = false;
            cx.admission.closed(ctx.channel(), addressCounted);
        }
        letGo();
        cancelIdle();
        if (state == State.WAITING) cx.hub.unregister(listener);
        state = State.ENDING;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** Stops reading requests and ends the connection with {@code answer} (null: no bytes). */
    private void end(ChannelHandlerContext ctx, Object answer) {
        if (state == State.ENDING) return;
        state = State.ENDING;
        letGo();
        reading = null;
        cancelIdle();
        // Unlike the IN line, a WAIT client sends nothing after its request, and everything it
        // sent was read while it waited: closing right after the write sends a plain FIN, as
        // the original did, and saves a half-close round trip per delivery.
        ByteBuf out = answer instanceof byte[] bytes ? Unpooled.wrappedBuffer(bytes)
                : answer == null ? Unpooled.EMPTY_BUFFER : (ByteBuf) answer;
        // Corked, the answer waits in the kernel for the close that follows, and goes out in
        // one segment with the FIN: one packet per delivery fewer for both ends.
        if (out.isReadable()) cork(ctx);
        // Closing with client bytes still to come would make the kernel reset the connection
        // and destroy the answer: unless the request is known to be over, half-close and wait
        // for the client's end (see Answering).
        written = Answering.endWith(ctx.channel(), out, inputClosed || requestComplete, cx.cutAnswers);
        if (!written.isDone()) closeIfNotTaken(ctx.channel());
    }

    /**
     * The answer did not fit in the kernel's socket buffer at once: the rest waits for the
     * client to read. One that never does (a window kept shut) would hold the connection and
     * the answer for ever; after SEND_TIMEOUT the connection is reset (a clean end would pass a
     * cut answer off as whole), the answer's bytes are freed, and the log says so.
     */
    private void closeIfNotTaken(Channel ch) {
        Timeout t = TimerWheel.after(cx.settings.sendTimeoutMs(), () -> Answering.reset(ch));
        ch.closeFuture().addListener(f -> t.cancel());
    }

    /**
     * A client that reset the connection a moment ago may have its socket closed already (Netty
     * tells this handler by a task that runs later): then there is nothing to cork, and the write
     * that follows fails and releases the answer. Throwing here would skip that write and keep
     * the answer's bytes for ever.
     */
    private static void cork(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof EpollSocketChannel ch) || !ch.isOpen()) return;
        try {
            ch.config().setTcpCork(true);
        } catch (io.netty.channel.ChannelException e) {
            // the connection failed under us: the write reports it
        }
    }

    /** The listener is no longer held (answered, ended or gone): one count down, once. */
    private void letGo() {
        if (!held) return;
        held = false;
        cx.admission.held(listener, -1);
    }

    private void cancelIdle() {
        if (idle != null) {
            idle.cancel();
            idle = null;
        }
    }

    /** {@code );} after a JSONP answer: shared, direct (see {@link LongPoll#jsonp}). */
    private static final ByteBuf JSONP_CLOSE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeBytes(WaitAnswer.jsonpClose()));

    /** A long-poll: one answer, then the connection ends. */
    private class LongPoll extends Listener {
        protected final ChannelHandlerContext ctx;

        LongPoll(ChannelHandlerContext ctx, String[] ids, Cursor[] cursors) {
            super(ids, cursors);
            this.ctx = ctx;
        }

        /** The bytes that go out for the Hub's render (the render itself for a plain poll). */
        protected ByteBuf wrap(ByteBuf body) {
            return body;
        }

        @Override
        protected boolean streaming() {
            return false;
        }

        @Override
        protected void answer(ByteBuf body) {
            ByteBuf mine = body.retainedDuplicate();
            ctx.executor().execute(() -> {
                if (state == State.WAITING) {
                    end(ctx, wrap(mine));
                } else {
                    mine.release();
                }
            });
        }

        @Override
        protected void endWithoutMessage() {
            ctx.executor().execute(() -> {
                if (state == State.WAITING) end(ctx, null);
            });
        }
    }

    /** A JSONP long-poll: its own class, so that a plain poll carries no field for the callback. */
    private final class JsonpPoll extends LongPoll {
        /** {@code NAME(}. */
        private final byte[] jsonpOpen;

        JsonpPoll(ChannelHandlerContext ctx, String[] ids, Cursor[] cursors, byte[] jsonpOpen) {
            super(ctx, ids, cursors);
            this.jsonpOpen = jsonpOpen;
        }

        /**
         * The body is the Hub's render, shared with every poll asking for the same messages, so
         * the callback goes around it here, per connection, as two more buffers of one write: the
         * render is neither copied nor changed. All three are direct, or the transport would copy
         * the whole answer into one direct buffer on the way out.
         */
        @Override
        protected ByteBuf wrap(ByteBuf body) {
            ByteBuf open = ctx.alloc().directBuffer(jsonpOpen.length).writeBytes(jsonpOpen);
            return Unpooled.wrappedBuffer(open, body, JSONP_CLOSE.duplicate());
        }
    }
}
