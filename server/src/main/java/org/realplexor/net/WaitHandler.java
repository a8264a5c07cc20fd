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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.function.Supplier;
import org.realplexor.hub.Listener;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.IdentifierList;
import org.realplexor.protocol.IdentifierScanner;
import org.realplexor.protocol.JsonpCallback;
import org.realplexor.protocol.NotARequest;
import org.realplexor.protocol.WaitAnswer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.realplexor.protocol.Item;
import org.realplexor.protocol.RawRequest;

/**
 * One WAIT connection: scans the request leniently until the identifier list is complete, then
 * either serves a static page, answers a CORS preflight, or registers a listener with the Hub.
 * Runs on the connection's event loop; after registration it holds no buffer, only the listener.
 */
final class WaitHandler extends ChannelInboundHandlerAdapter {
    private enum State { READING, WAITING, ENDING }

    private static final String[] NO_HEADERS = new String[4];

    private final Supplier<WaitContext> contexts;
    private WaitContext cx;
    private ByteAccumulator acc = new ByteAccumulator();
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
        acc.headDeadline = cx.settings.headTimeoutMs() > 0 ? lastRead + cx.settings.headTimeoutMs() : Long.MAX_VALUE;
        armIdle(ctx, Math.min(cx.settings.waitTimeoutMs(), acc.headDeadline - lastRead));
        ctx.fireChannelActive();
    }

    private void armIdle(ChannelHandlerContext ctx, long millis) {
        idle = cx.timers.after(millis, () -> ctx.executor().execute(() -> idleCheck(ctx)));
    }

    /**
     * WAIT_TIMEOUT is an inactivity timer: a request still trickling in gets its time again. The
     * whole request must still arrive within HEAD_TIMEOUT, or a client sending a byte now and
     * then would hold its connection for ever.
     */
    private void idleCheck(ChannelHandlerContext ctx) {
        if (state != State.READING) return;
        long t = now();
        if (t >= acc.headDeadline) {
            end(ctx, plain("408 Request Timeout", "the request did not arrive within HEAD_TIMEOUT ("
                    + cx.settings.text("HEAD_TIMEOUT") + " s)\n"));
            return;
        }
        long left = lastRead + cx.settings.waitTimeoutMs() - t;
        if (left > 0) armIdle(ctx, Math.min(left, acc.headDeadline - t));
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
            boolean fits = acc.append(in, cx.settings.waitMaxlen() + 1);
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
        byte[] b = acc.bytes;
        int len = acc.length;
        IdentifierList list = cx.scanner.scan(b, len, false);
        boolean over = !fits || len > cx.settings.waitMaxlen();
        // Nothing more will be read (too long, or the client half-closed): decide now.
        boolean last = over || inputClosed;
        String method = RawRequest.method(b, len);
        int bodyStart = RawRequest.bodyStart(b, len);
        // A real HTTP request: wait for its whole head so that Origin (CORS), Accept (SSE) and
        // Upgrade are known; that includes a request line whose end has not arrived yet.
        if (!last && (method != null ? bodyStart < 0 : RawRequest.requestLineInProgress(b, len))) return;
        String notARequest = NotARequest.why(b, len);
        if (notARequest != null) {
            end(ctx, plain("400 Bad Request", notARequest + "\n"));
            return;
        }
        int headEnd = bodyStart < 0 ? len : bodyStart;
        String[] h = method == null ? NO_HEADERS : RawRequest.headers(b, headEnd, "Origin", "Upgrade", "Accept", "Content-Length");
        // A whole HTTP request, its body too: nothing more will come, so a list that ends with
        // the body counts (a POST poll's body may be the list alone), and no list is an error.
        boolean whole = method != null && RawRequest.bodyComplete(method, h[3], bodyStart, len);
        if (list == null && whole) list = cx.scanner.scan(b, len, true);
        // A CORS preflight names no identifier when the poll it clears is a POST.
        if (list == null && !"OPTIONS".equals(method)) {
            if (last) {
                end(ctx, null);
            } else if (whole) {
                end(ctx, plain("400 Bad Request", "no " + cx.settings.identifier() + "=... in the request"
                        + " (e.g. GET /?" + cx.settings.identifier() + "=ID)\n"));
            }
            return;
        }
        String origin = h[0];
        // Old browsers sent a stray CRLF after a POST body, so only a request without a body is
        // known to be over (a browser's GET poll: the usual case).
        requestComplete = method != null && bodyStart == len && h[3] == null;
        String corsHeaders = cx.cors.headers(origin);
        if ("OPTIONS".equals(method)) {
            String asked = RawRequest.header(b, headEnd, "Access-Control-Request-Headers");
            end(ctx, cx.cors.preflight(origin, asked).getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        if (list != null && list.overLimit() != null) {
            end(ctx, plain("400 Bad Request", list.overLimit() + "\n"));
            return;
        }
        List<Item> items = list == null ? List.of() : list.items();
        if (items.isEmpty()) {
            end(ctx, null);
            return;
        }
        String first = items.get(0).id();
        if (first.equals(cx.settings.iframeId())) {
            end(ctx, cx.pages.iframe(corsHeaders));
            return;
        }
        if (first.equals(cx.settings.scriptId())) {
            end(ctx, cx.pages.script(corsHeaders));
            return;
        }
        Map<String, Cursor> ids = distinct(items);
        if (ids.size() > cx.settings.waitMaxIds()) {
            end(ctx, plain("400 Bad Request", ids.size() + " ids in one request; at most WAIT_MAX_IDS ("
                    + cx.settings.waitMaxIds() + ") may be listened to on one connection\n"));
            return;
        }
        // Signed subscriptions: ids no token grants are taken out (all of them: 403).
        SignedGate.Outcome signed = SignedGate.check(cx.settings.signedIds(), ids, b, headEnd, corsHeaders, ctx.channel());
        if (signed.refusal() != null) {
            end(ctx, signed.refusal());
            return;
        }
        corsHeaders += signed.headers();
        String upgrade = h[1];
        String accept = h[2];
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            upgradeToWebSocket(ctx, b, headEnd, origin, corsHeaders, ids);
            return;
        }
        boolean sse = accept != null && accept.contains("text/event-stream");
        // JSONP is a long-poll's alone: a stream's or WebSocket's callback parameter is ignored.
        JsonpCallback jsonp = sse || method == null ? JsonpCallback.NONE : JsonpCallback.inRequestLine(b, headEnd);
        if (jsonp.refused()) {
            end(ctx, plain("400 Bad Request", jsonp.refusal() + "\n"));
            return;
        }
        if (sse) resume(ids, RawRequest.header(b, headEnd, "Last-Event-ID"));
        acc = null;
        state = State.WAITING;
        cancelIdle();
        if (sse) {
            ctx.write(Unpooled.wrappedBuffer(SseStream.head(cx.settings.charset(), corsHeaders)));
            listener = new SseStream(ctx, keys(ids), values(ids));
        } else if (jsonp.present()) {
            ctx.write(Unpooled.wrappedBuffer(WaitAnswer.jsonpHead(cx.settings.charset(), corsHeaders)));
            listener = new JsonpPoll(ctx, ids, WaitAnswer.jsonpOpen(jsonp.name()));
        } else {
            ctx.write(corsHeaders.isEmpty()
                    ? cx.plainHead.duplicate()
                    : Unpooled.wrappedBuffer(WaitAnswer.head(cx.settings.charset(), corsHeaders)));
            listener = new LongPoll(ctx, ids);
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

    private void upgradeToWebSocket(ChannelHandlerContext ctx, byte[] b, int headEnd, String origin,
                                    String corsHeaders, Map<String, Cursor> ids) {
        String key = RawRequest.header(b, headEnd, "Sec-WebSocket-Key");
        String version = RawRequest.header(b, headEnd, "Sec-WebSocket-Version");
        if (origin != null && !cx.cors.allows(origin)) {
            end(ctx, plain("403 Forbidden", Cors.refusal(origin)));
            return;
        }
        if (key == null || key.isEmpty() || !"13".equals(version)) {
            end(ctx, plain("426 Upgrade Required", "WebSocket needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13\n"));
            return;
        }
        if (!isWebSocketKey(key)) {
            end(ctx, plain("400 Bad Request", "Sec-WebSocket-Key must be 16 bytes in base64 (RFC 6455, 4.1)\n"));
            return;
        }
        acc = null;
        state = State.WAITING;
        cancelIdle();
        ctx.write(Unpooled.wrappedBuffer(WebSocketStream.handshake(key, corsHeaders)));
        // The encoder goes first: the decoder's own Close frame for a protocol error then passes
        // through it on the way out, instead of the connection ending without one.
        ctx.pipeline().addBefore(ctx.name(), "ws-encoder", new WebSocket13FrameEncoder(false));
        ctx.pipeline().addBefore(ctx.name(), "ws-decoder", new WebSocket13FrameDecoder(true, false, 65536));
        listener = new WebSocketStream(ctx, keys(ids), values(ids));
        registerThenFlush(ctx);
    }

    /** A client's nonce: 16 random bytes in base64, 24 characters; anything else is no WebSocket client. */
    static boolean isWebSocketKey(String key) {
        try {
            return java.util.Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
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

    /** Last-Event-ID (an SSE reconnect) carries each id's cursor; it wins over the URL's. */
    private static void resume(Map<String, Cursor> ids, String lastEventId) {
        if (lastEventId == null) return;
        for (Item it : IdentifierScanner.parseItems(lastEventId.trim())) {
            if (it.cursor() != null && ids.containsKey(it.id())) ids.put(it.id(), it.cursor());
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

    private static String[] keys(Map<String, Cursor> ids) {
        return ids.keySet().toArray(new String[0]);
    }

    private static Cursor[] values(Map<String, Cursor> ids) {
        return ids.values().toArray(new Cursor[0]);
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
        acc = null;
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
        written = Answering.endWith(ctx.channel(), out, inputClosed || requestComplete, cx.cutAnswers, cx.timers);
        if (!written.isDone()) closeIfNotTaken(ctx.channel());
    }

    /**
     * The answer did not fit in the kernel's socket buffer at once: the rest waits for the
     * client to read. One that never does (a window kept shut) would hold the connection and
     * the answer for ever; after SEND_TIMEOUT the connection is reset (a clean end would pass a
     * cut answer off as whole), the answer's bytes are freed, and the log says so.
     */
    private void closeIfNotTaken(Channel ch) {
        Timeout t = cx.timers.after(cx.settings.sendTimeoutMs(), () -> Answering.reset(ch));
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

    /**
     * Distinct ids in the order the request first names them (presence events follow it, as the
     * original's did); a repeated id keeps its last cursor, as the original did.
     */
    static Map<String, Cursor> distinct(List<Item> items) {
        Map<String, Cursor> m = new LinkedHashMap<>();
        for (Item it : items) m.put(it.id(), it.cursor());
        return m;
    }

    /** {@code );} after a JSONP answer: shared, direct (see {@link LongPoll#jsonp}). */
    private static final ByteBuf JSONP_CLOSE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeBytes(WaitAnswer.jsonpClose()));

    /** A long-poll: one answer, then the connection ends. */
    private class LongPoll extends Listener {
        protected final ChannelHandlerContext ctx;

        LongPoll(ChannelHandlerContext ctx, Map<String, Cursor> ids) {
            super(ids.keySet().toArray(new String[0]), ids.values().toArray(new Cursor[0]));
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

        JsonpPoll(ChannelHandlerContext ctx, Map<String, Cursor> ids, byte[] jsonpOpen) {
            super(ctx, ids);
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
