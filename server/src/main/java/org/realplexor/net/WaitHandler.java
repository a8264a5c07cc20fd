package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Supplier;
import org.realplexor.hub.Listener;
import org.realplexor.protocol.WaitAnswer;
import org.realplexor.protocol.WaitReader;
import org.realplexor.protocol.WaitRequest;
import org.realplexor.protocol.WaitStep;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

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
 */
final class WaitHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] NO_BYTES = new byte[0];
    private enum State { READING, WAITING, ENDING }

    private final Supplier<WaitContext> contexts;
    private WaitContext cx;
    /** The request while it is read; dropped once it is understood. */
    private WaitReading reading;
    private State state = State.READING;
    private Listener listener;
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
            end(ctx, WaitAnswer.plain("503 Service Unavailable", "Retry-After: 5\r\n", refused + "\n"));
            return;
        }
        // Until the identifier arrives, WAIT_TIMEOUT and HEAD_TIMEOUT run here; once
        // registered, the Hub owns WAIT_TIMEOUT.
        reading = new WaitReading(new WaitReader(cx.scanner, cx.rules), 0);
        startReading(ctx);
        ctx.fireChannelActive();
    }

    /** HEAD_TIMEOUT and WAIT_TIMEOUT start for the request to come. */
    private void startReading(ChannelHandlerContext ctx) {
        lastRead = now();
        reading.headDeadline = cx.settings.headTimeoutMs() > 0 ? lastRead + cx.settings.headTimeoutMs() : Long.MAX_VALUE;
        armIdle(ctx, Math.min(cx.settings.waitTimeoutMs(), reading.headDeadline - lastRead));
    }

    private void armIdle(ChannelHandlerContext ctx, long millis) {
        reading.arm(cx.timers, millis, () -> ctx.executor().execute(() -> idleCheck(ctx)));
    }

    /**
     * WAIT_TIMEOUT is an inactivity timer: a request still trickling in gets its time again. The
     * whole request must still arrive within HEAD_TIMEOUT, or a client sending a byte now and
     * then would hold its connection for ever.
     */
    private void idleCheck(ChannelHandlerContext ctx) {
        if (state != State.READING) return;
        long t = now();
        if (reading.next && reading.length == 0 && (t >= reading.headDeadline || t - lastRead >= cx.settings.waitTimeoutMs())) {
            end(ctx, null); // a kept connection idle between two polls: a plain close
            return;
        }
        if (t >= reading.headDeadline) {
            end(ctx, WaitAnswer.plain("408 Request Timeout", "", "the request did not arrive within HEAD_TIMEOUT ("
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
                WebSocketStream.onFrame(ctx, frame);
                return;
            }
            if (!(msg instanceof ByteBuf in)) return;
            if (state == State.WAITING) {
                if (listener instanceof KeptPoll) early().add(in, cx.settings.waitMaxlen());
                stillActive();
                return;
            }
            if (state != State.READING) return;
            lastRead = now();
            if (written != null) {
                reading.add(in, cx.settings.waitMaxlen()); // a kept answer is still being written: see next
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
    /** Where the next request's bytes wait while a kept poll is held (the client sent them early). */
    private WaitReading early() {
        if (reading == null) reading = new WaitReading(new WaitReader(cx.scanner, cx.rules), 0);
        return reading;
    }

    private void stillActive() {
        long t = now();
        if (listener instanceof LongPoll && t - lastRead >= Math.min(1000, cx.settings.waitTimeoutMs() / 10)) {
            lastRead = t;
            cx.hub.touch(listener);
        }
    }

    private void decide(ChannelHandlerContext ctx, WaitStep step) {
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
        SignedGate.Outcome signed = SignedGate.check(cx.settings.signedIds(), req.ids(),
                req.head() == null ? NO_BYTES : req.head(), req.headEnd(), corsHeaders, ctx.channel());
        if (signed.refusal() != null) {
            end(ctx, signed.refusal());
            return;
        }
        corsHeaders += signed.headers();
        cancelIdle();
        // (A request cut at WAIT_MAXLEN is served as ever, and its connection is not kept.)
        boolean kept = req.kept() && !reading.cut;
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
        if (evt instanceof ChannelInputShutdownEvent) {
            HalfClosure.inputEnded(ctx.channel());
            // The client half-closed or left: its request is all there is, so act on it now; a
            // poll then ends at once, with what it is owed from the queues if anything.
            inputClosed = true;
            if (state == State.READING && written != null) return; // a kept answer is being written: see next
            if (state == State.READING) decide(ctx, reading.read(null, cx.settings.waitMaxlen(), true));
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
    void end(ChannelHandlerContext ctx, Object answer) {
        if (state == State.ENDING) return;
        state = State.ENDING;
        letGo();
        cancelIdle();
        reading = null;
        // Unlike the IN line, a WAIT client sends nothing after its request, and everything it
        // sent was read while it waited: closing right after the write sends a plain FIN, as
        // the original did, and saves a half-close round trip per delivery.
        ByteBuf out = answer instanceof byte[] bytes ? Unpooled.wrappedBuffer(bytes)
                : answer == null ? Unpooled.EMPTY_BUFFER : (ByteBuf) answer;
        // Closing with client bytes still to come would make the kernel reset the connection
        // and destroy the answer: unless the request is known to be over, half-close and wait
        // for the client's end (see Answering).
        written = Answering.endCorked(ctx.channel(), out, inputClosed || requestComplete, cx.cutAnswers, cx.timers,
                cx.settings.sendTimeoutMs());
    }

    /**
     * A kept poll's whole answer ({@link KeptPoll#framed}): written, and once it is handed to the
     * socket the connection reads the next request. Not corked: no close follows it. An answer the
     * client does not take within SEND_TIMEOUT resets the connection, as on any poll.
     */
    void answerKept(ChannelHandlerContext ctx, ByteBuf answer) {
        letGo();
        listener = null;
        state = State.READING;
        requestComplete = false;
        if (reading == null) reading = new WaitReading(new WaitReader(cx.scanner, cx.rules), 0);
        reading.next = true;
        io.netty.channel.ChannelFuture f = Answering.keep(ctx.channel(), answer, cx.cutAnswers, cx.timers, cx.settings.sendTimeoutMs());
        written = f;
        if (f.isDone()) next(ctx, f);
        else f.addListener(w -> next(ctx, f));
    }

    /** The kept answer {@code f} is out: the next request starts, with whatever of it arrived meanwhile. */
    private void next(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture f) {
        if (state != State.READING || written != f || !f.isSuccess()) return;
        written = null;
        startReading(ctx);
        if (reading.length > 0 || inputClosed || reading.cut) decide(ctx, reading.read(null, cx.settings.waitMaxlen(), inputClosed));
    }

    /** The listener is no longer held (answered, ended or gone): one count down, once. */
    private void letGo() {
        if (!held) return;
        held = false;
        cx.admission.held(listener, -1);
    }

    private void cancelIdle() {
        if (reading != null) reading.disarm();
    }

    /** Whether {@code l} is registered here and not ended yet: a long-poll's answer may still go out. */
    boolean waiting(Listener l) {
        return state == State.WAITING && listener == l;
    }
}
