package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Supplier;
import org.realplexor.hub.Listener;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitReader;
import org.realplexor.protocol.WaitRequest;
import org.realplexor.protocol.WaitStep;

/**
 * One WAIT connection: feeds the request to its {@link WaitReader} until it is understood, then
 * serves a static page, answers a CORS preflight, or registers a listener with the Hub (a
 * {@link LongPoll}, {@link JsonpPoll}, {@link SseStream} or {@link WebSocketStream}). Keeps the
 * connection's admission, timers and end. Runs on the connection's event loop; after
 * registration it holds no buffer, only the listener.
 *
 * <p>A poll that asks to keep its connection ({@code keepalive=1}, a {@link KeptPoll}) is
 * answered with a length, and the connection then reads the next request, from the bytes that
 * followed the first if the client sent them early (they wait, up to WAIT_MAXLEN, while the poll
 * is held). Each request on it gets its own HEAD_TIMEOUT, WAIT_TIMEOUT and checks, as on a new
 * connection; the connection is admitted once. The next request is read once the answer before
 * it is handed to the socket, so a client that does not read holds at most one answer here.
 *
 * <p>The request's clocks are in {@link WaitIdle}, the kept-alive cycle in {@link KeptCycle}
 * and the connection's end in {@link WaitEnding}: they work on this handler's fields (hence
 * package-private), so the split adds nothing to what a held poll costs.
 */
final class WaitHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] NO_BYTES = new byte[0];

    enum State {
        READING,
        WAITING,
        ENDING
    }

    private final Supplier<WaitContext> contexts;
    WaitContext cx;
    /** The request while it is read; dropped once it is understood. */
    WaitReading reading;

    State state = State.READING;
    Listener listener;
    ChannelFuture written;
    /** When bytes last came in (monotonic ms): WAIT_TIMEOUT counts from there. */
    long lastRead;
    /** Counted by the admission (and for its address): counted out again when it closes. */
    boolean admitted;

    boolean addressCounted;
    /** The client half-closed: everything it will send has been read. */
    boolean inputClosed;
    /** The request is a head alone, and nothing came after it: nothing more will come. */
    boolean requestComplete;
    /** The listener is counted as held in the admission's counters (until it ends). */
    boolean held;

    WaitHandler(Supplier<WaitContext> contexts) {
        this.contexts = contexts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        cx = contexts.get();
        String refused =
                cx.admission.admit(ctx.channel(), cx.settings.waitMaxConnPerIp(), cx.settings.maxConnections());
        admitted = refused == null;
        addressCounted = admitted && cx.settings.waitMaxConnPerIp() > 0;
        if (refused != null) {
            end(ctx, WaitAnswer.plain("503 Service Unavailable", "Retry-After: 5\r\n", refused + "\n"));
            return;
        }
        // Until the identifier arrives, WAIT_TIMEOUT and HEAD_TIMEOUT run here; once
        // registered, the Hub owns WAIT_TIMEOUT.
        reading = new WaitReading(new WaitReader(cx.scanner, cx.rules), 0);
        WaitIdle.start(this, ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.WAITING && msg instanceof WebSocketFrame frame) {
                WebSocketStream.onFrame(ctx, frame);
                return;
            }
            if (!(msg instanceof ByteBuf in)) return;
            if (state == State.WAITING) {
                if (listener instanceof KeptPoll) KeptCycle.early(this).add(in, cx.settings.waitMaxlen());
                stillActive();
                return;
            }
            if (state != State.READING) return;
            lastRead = WaitIdle.now();
            if (written != null) {
                reading.add(in, cx.settings.waitMaxlen()); // a kept answer is still being written: see KeptCycle
                return;
            }
            decide(ctx, reading.read(in, cx.settings.waitMaxlen(), inputClosed));
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
        long t = WaitIdle.now();
        if (listener instanceof LongPoll && t - lastRead >= Math.min(1000, cx.settings.waitTimeoutMs() / 10)) {
            lastRead = t;
            cx.hub.touch(listener);
        }
    }

    void decide(ChannelHandlerContext ctx, WaitStep step) {
        if (step == WaitStep.MORE) return;
        requestComplete = reading.reader.requestOver();
        if (step instanceof WaitStep.Done d) {
            serve(ctx, d.request());
        } else {
            end(ctx, step instanceof WaitStep.Refused r ? WaitAnswer.plain(r.status(), "", r.reason() + "\n") : null);
        }
    }

    private void serve(ChannelHandlerContext ctx, WaitRequest req) {
        String corsHeaders = cx.cors.headers(req.origin());
        byte[] page = cx.page(req, corsHeaders);
        if (page != null) end(ctx, page);
        else listen(ctx, req, corsHeaders);
    }

    /**
     * The request asks to listen: from here on the connection holds no buffer, only its listener.
     * (A check of the request before it registers, on its ids, cursors or query, goes here.)
     */
    private void listen(ChannelHandlerContext ctx, WaitRequest req, String corsHeaders) {
        // Signed subscriptions: ids no token grants are taken out (all of them: 403).
        SignedGate.Outcome signed = SignedGate.check(
                cx.settings.signedIds(),
                req.ids(),
                req.head() == null ? NO_BYTES : req.head(),
                req.headEnd(),
                corsHeaders,
                ctx.channel());
        if (signed.refusal() != null) {
            end(ctx, signed.refusal());
            return;
        }
        corsHeaders += signed.headers();
        WaitIdle.cancel(this);
        // (A request cut at WAIT_MAXLEN is served as ever, and its connection is not kept. An HTTP/2
        // stream carries one request: its answer ends the stream, keepalive=1 or not.)
        boolean kept = req.kept() && !reading.cut && !(ctx.channel() instanceof Http2StreamChannel);
        state = State.WAITING;
        listener = switch (req.route()) {
            case WEBSOCKET -> WebSocketStream.open(ctx, req, corsHeaders);
            case SSE -> SseStream.open(ctx, req, cx.settings.charset(), corsHeaders);
            default -> LongPoll.open(this, ctx, req, cx, corsHeaders, kept);
        };
        // A kept poll's client may have sent its next request already: those bytes stay.
        if (!kept || !reading.restart(req.keptEnd(), new WaitReader(cx.scanner, cx.rules))) reading = null;
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

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) WaitEnding.inputEnded(this, ctx);
        else ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        WaitEnding.closed(this, ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** Stops reading requests and ends the connection with {@code answer} (null: no bytes). */
    void end(ChannelHandlerContext ctx, Object answer) {
        WaitEnding.end(this, ctx, answer);
    }

    /** Whether {@code l} is registered here and not ended yet: a long-poll's answer may still go out. */
    boolean waiting(Listener l) {
        return state == State.WAITING && listener == l;
    }
}
