package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timeout;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.realplexor.protocol.InAnswer;
import org.realplexor.protocol.IdentifierList;
import org.realplexor.protocol.InReader;
import org.realplexor.protocol.InRequest;
import org.realplexor.protocol.InStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IN connection: a publish or a command from the back end. Acts when the request is complete,
 * which for the original's clients means their half-close (the body is then everything after the
 * blank line, whatever Content-Length said) and for standard HTTP clients the arrival of exactly
 * their declared Content-Length. Credentials are checked as soon as the identifier is read.
 *
 * <p>A request that asks to keep the connection (see {@link InReader#keepAlive}) is answered
 * with {@code Connection: keep-alive}, and the connection then reads the next request: requests
 * sent one behind the other are answered in order, one at a time (the next is acted on once the
 * answer before it is written; reading pauses if IN_MAXLEN bytes wait meanwhile). IN_TIMEOUT then bounds each request and the idle time between two; IN_MAXLEN
 * and IN_BUFFERS count each request on its own. Any other answer ends the connection as ever.
 */
final class InHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InHandler.class);
    private static final byte[] BUSY = InAnswer.busy();
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final Supplier<InContext> contexts;
    private InContext cx;
    private ByteAccumulator acc = new ByteAccumulator();
    private InReader reader;
    /** The identifier list whose credentials are checked (or being checked); null until found. */
    private IdentifierList list;
    private boolean decided;
    private boolean inputClosed;
    /** A login's password is being checked (off the loop): act on nothing until it is. */
    private boolean authPending;
    /** The size of {@link #acc}'s array, counted in {@link InBuffers} until the connection ends. */
    private long held;
    private Timeout timeout;
    /** Set once the answer is handed to the channel; the connection ends after it. */
    private io.netty.channel.ChannelFuture written;
    /** A kept-alive request is being carried out or its answer written: the next one waits. */
    private boolean busy;
    /** Kept-alive requests answered on this connection. */
    private int served;

    InHandler(Supplier<InContext> contexts) {
        this.contexts = contexts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        cx = contexts.get();
        reader = new InReader(cx.scanner);
        if (!cx.admission.admit(ctx.channel(), cx.settings.inMaxConnections())) {
            answer(ctx, BUSY);
            return;
        }
        startTimeout(ctx);
        ctx.fireChannelActive();
    }

    /** IN_TIMEOUT for the request to come (and, once one was kept alive, the idle time before it). */
    private void startTimeout(ChannelHandlerContext ctx) {
        cancelTimeout();
        long ms = cx.settings.inTimeoutMs();
        timeout = cx.timers.after(ms, () -> ctx.executor().execute(() -> timedOut(ctx, ms)));
    }

    private void timedOut(ChannelHandlerContext ctx, long ms) {
        timeout = null;
        if (decided) return;
        if (busy) {
            // A kept-alive answer the client has not taken in IN_TIMEOUT: it does not read.
            decided = true;
            Answering.reset(ctx.channel());
        } else if (served > 0 && acc.length == 0) {
            decided = true; // idle between requests: the client expects a plain close here
            ctx.close();
        } else {
            answer(ctx, InAnswer.answer("408 Request Timeout", "the request did not complete within IN_TIMEOUT=" + ms / 1000.0
                    + "s (a client must send its whole body, then half-close or match Content-Length); nothing was published\n"));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (decided || !(msg instanceof ByteBuf in)) return;
            int max = cx.settings.inMaxlen();
            // IN_MAXLEN bounds each request; one read may also hold the start of the next request
            // on a kept-alive connection (or it arrives while one is carried out: reading pauses,
            // but not before the read under way). So up to twice that is held, and a request
            // over it is refused once it is the current one (see complete).
            if (!acc.append(in, 2 * max)) {
                answer(ctx, InAnswer.answer("413 Request Entity Too Large",
                        "the request is over IN_MAXLEN=" + max + " bytes; nothing was published\n"));
                return;
            }
            if (acc.bytes.length > held) {
                long more = acc.bytes.length - held;
                if (!cx.buffers.take(more, cx.settings.inBuffersBytes())) {
                    answer(ctx, InAnswer.answer("503 Service Unavailable", "unfinished requests already hold IN_BUFFERS="
                            + cx.settings.inBuffersBytes() + " bytes; nothing was published, try again\n"));
                    return;
                }
                held += more;
            }
            // Reading pauses only once a request's worth waits behind the one being carried out:
            // toggling it for every request would cost two system calls each.
            if (busy && acc.length >= max) ctx.channel().config().setAutoRead(false);
            if (!busy) checkIdentifier(ctx, false, false);
            if (!busy && !decided && acc.length > max) complete(ctx, false);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!decided && !busy) complete(ctx, false);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            HalfClosure.inputEnded(ctx.channel());
            inputClosed = true;
            if (written != null) {
                Answering.closeAfter(ctx.channel(), written);
            } else if (!decided && !busy) { // (busy: the next request is read at the end, see next)
                checkIdentifier(ctx, true, true);
                if (!decided) complete(ctx, true);
                if (!decided && !authPending) answer(ctx, null);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        decided = true;
        cx.buffers.give(held);
        held = 0;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** Reads the identifier once it is complete and checks its credentials right away (see {@link InReader#identifiers}). */
    private void checkIdentifier(ChannelHandlerContext ctx, boolean atEnd, boolean force) {
        if (list != null || decided) return;
        IdentifierList found = reader.identifiers(acc.bytes, acc.length, atEnd, force);
        if (found != null) credentials(ctx, found);
    }

    private void credentials(ChannelHandlerContext ctx, IdentifierList found) {
        list = found;
        if (list.login() == null) {
            String denial = cx.auth.denial(null, null);
            if (denial != null) answer(ctx, InAnswer.denied(denial));
            return;
        }
        PasswordChecks.Verdict v = cx.passwords.check(cx.auth, ctx.channel(), list.login(), list.password(),
                refusal -> ctx.executor().execute(() -> checked(ctx, refusal)));
        authPending = v.pending();
        if (v.answer() != null) answer(ctx, v.answer());
    }

    /** The password check is done: refuse (null: granted), or carry on with whatever has arrived meanwhile. */
    private void checked(ChannelHandlerContext ctx, byte[] refusal) {
        authPending = false;
        if (decided) return;
        if (refusal != null) {
            answer(ctx, refusal);
            return;
        }
        complete(ctx, inputClosed);
        if (inputClosed && !decided) answer(ctx, null);
    }

    /** Acts on the request if it is complete; otherwise waits for more bytes or the end. */
    private void complete(ChannelHandlerContext ctx, boolean atEnd) {
        if (authPending) return;
        InStep step = reader.read(acc.bytes, acc.length, atEnd);
        int max = cx.settings.inMaxlen();
        if (acc.length > max && (step instanceof InStep.More || step instanceof InStep.Done d && d.request().end() > max)) {
            // (See channelRead.)
            answer(ctx, InAnswer.answer("413 Request Entity Too Large",
                    "the request is over IN_MAXLEN=" + max + " bytes; nothing was published\n"));
        } else if (step == InStep.ASK_FOR_BODY) {
            expectContinue(ctx);
        } else if (step instanceof InStep.Refused r) {
            answer(ctx, InAnswer.answer(r.status(), r.reason() + "; nothing was published\n"));
        } else if (step instanceof InStep.Done d) {
            // Before acting, the identifier, if the request has one, has its credentials checked.
            if (list == null && d.request().identifiers() != null) credentials(ctx, d.request().identifiers());
            if (!decided && !authPending) act(ctx, d.request());
        }
    }

    /** The request is complete and its credentials pass: what it asks of the Hub (see {@link InDispatch}). */
    private void act(ChannelHandlerContext ctx, InRequest req) {
        InDispatch.Outcome o = InDispatch.act(cx, req);
        if (req.keepAlive() && (o.later() != null || o.now() != null)) keep(ctx, req, o);
        else if (o.later() != null) reply(ctx, o.later());
        else answer(ctx, o.now());
    }

    /**
     * Answers a kept-alive request and then reads the next one. Its bytes are dropped now (the
     * request has been read whole; what follows is the next request). The next request is read
     * only once this answer has been handed to the socket, so a client that sends many requests
     * and reads no answers holds at most one answer here (and reading pauses once IN_MAXLEN
     * bytes wait, see channelRead).
     */
    private void keep(ChannelHandlerContext ctx, InRequest req, InDispatch.Outcome o) {
        busy = true;
        cancelTimeout();
        acc.consume(req.end());
        Future<byte[]> answer = o.later() != null ? o.later() : Future.succeededFuture(o.now());
        answer.onComplete(ar -> {
            if (ctx.executor().inEventLoop()) keptAnswer(ctx, ar.succeeded() ? ar.result() : null, ar.cause());
            else ctx.executor().execute(() -> keptAnswer(ctx, ar.succeeded() ? ar.result() : null, ar.cause()));
        });
    }

    private void keptAnswer(ChannelHandlerContext ctx, byte[] bytes, Throwable failure) {
        if (decided) return;
        if (failure != null) {
            log.warn("IN request failed: {}", failure.toString());
            bytes = InAnswer.answer("503 Service Unavailable", "the request could not be carried out: " + failure.getMessage() + "\n");
        }
        cx.admission.answered(bytes);
        served++;
        startTimeout(ctx);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(InAnswer.keptAlive(bytes))).addListener(w -> {
            if (!w.isSuccess()) {
                decided = true;
                ctx.close();
            } else {
                next(ctx);
            }
        });
    }

    /** The kept-alive answer is out: the next request starts with the bytes that followed. */
    private void next(ChannelHandlerContext ctx) {
        if (decided) return;
        busy = false;
        reader = new InReader(cx.scanner);
        list = null;
        if (acc.length == 0) {
            // Nothing of the next request yet: an idle connection holds no buffer.
            cx.buffers.give(held);
            held = 0;
            acc = new ByteAccumulator();
        }
        if (!ctx.channel().config().isAutoRead()) ctx.channel().config().setAutoRead(true);
        if (acc.length == 0 && !inputClosed) return;
        checkIdentifier(ctx, inputClosed, inputClosed);
        if (!decided) complete(ctx, inputClosed);
        if (inputClosed && !decided && !authPending && !busy) answer(ctx, null);
    }

    private void reply(ChannelHandlerContext ctx, Future<byte[]> answer) {
        decided = true;
        cancelTimeout();
        answer.onComplete(ar -> ctx.executor().execute(() -> {
            if (ar.succeeded()) cx.admission.answered(ar.result());
            else cx.admission.answered(503);
            if (ar.succeeded()) {
                written = Answering.endWith(ctx.channel(), ar.result(), inputClosed, cx.cutAnswers, cx.timers);
            } else {
                log.warn("IN request failed: {}", ar.cause().toString());
                written = Answering.endWith(ctx.channel(), InAnswer.answer("503 Service Unavailable",
                        "the request could not be carried out: " + ar.cause().getMessage() + "\n"), inputClosed, cx.cutAnswers, cx.timers);
            }
        }));
    }

    /** Ends the request with {@code bytes} (null: no answer) and drops whatever else arrives. */
    private void answer(ChannelHandlerContext ctx, byte[] bytes) {
        if (decided) return;
        decided = true;
        cancelTimeout();
        cx.admission.answered(bytes);
        written = Answering.endWith(ctx.channel(), bytes, inputClosed, cx.cutAnswers, cx.timers);
    }

    /** The client waits for "100 Continue": one that is too long learns at once instead. */
    private void expectContinue(ChannelHandlerContext ctx) {
        long declared = reader.declared();
        if (declared > cx.settings.inMaxlen()) {
            answer(ctx, InAnswer.answer("413 Request Entity Too Large", "Content-Length " + declared
                    + " is over IN_MAXLEN=" + cx.settings.inMaxlen() + " bytes; nothing was published\n"));
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }
}
