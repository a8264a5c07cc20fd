package org.realplexor.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.Timeout;
import io.vertx.core.Future;
import java.util.function.BooleanSupplier;
import org.realplexor.protocol.InAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering side of one IN connection ({@link InHandler} reads and dispatches): whether it is
 * decided, the answer that ends it, kept-alive answers one at a time, and IN_TIMEOUT around them.
 * On the channel's loop only.
 */
final class InReplies {
    private static final Logger log = LoggerFactory.getLogger(InHandler.class);

    private final ChannelHandlerContext ctx;
    private final InContext cx;
    /** Nothing of a next request has arrived. */
    private final BooleanSupplier nothingRead;
    /** A kept-alive answer is out: the handler reads the next request. */
    private final Runnable next;

    private boolean decided;
    private boolean inputClosed;
    private Timeout timeout;
    /** Set once the answer is handed to the channel; the connection ends after it. */
    private ChannelFuture written;
    /** A kept-alive request is being carried out or its answer written: the next one waits. */
    private boolean busy;
    /** Kept-alive requests answered on this connection. */
    private int served;

    InReplies(ChannelHandlerContext ctx, InContext cx, BooleanSupplier nothingRead, Runnable next) {
        this.ctx = ctx;
        this.cx = cx;
        this.nothingRead = nothingRead;
        this.next = next;
    }

    /** Answered (or being answered) for good, or closed: act on nothing more. */
    boolean decided() {
        return decided;
    }

    boolean busy() {
        return busy;
    }

    boolean inputClosed() {
        return inputClosed;
    }

    /** The client half-closed; true when the answer was already handed over (the connection then ends after it). */
    boolean inputEnded() {
        inputClosed = true;
        if (written != null) GracefulClose.closeAfter(ctx.channel(), written);
        return written != null;
    }

    /** The channel went away. */
    void closed() {
        cancelTimeout();
        decided = true;
    }

    /** IN_TIMEOUT for the request to come (and, once one was kept alive, the idle time before it). */
    void startTimeout() {
        cancelTimeout();
        long ms = cx.settings.inTimeoutMs();
        timeout = cx.timers.after(ms, () -> ctx.executor().execute(() -> timedOut(ms)));
    }

    private void timedOut(long ms) {
        timeout = null;
        if (decided) return;
        if (busy) {
            // A kept-alive answer the client has not taken in IN_TIMEOUT: it does not read.
            decided = true;
            GracefulClose.reset(ctx.channel());
        } else if (served > 0 && nothingRead.getAsBoolean()) {
            decided = true; // idle between requests: the client expects a plain close here
            ctx.close();
        } else {
            answer(
                    InAnswer.answer(
                            "408 Request Timeout",
                            "the request did not complete within IN_TIMEOUT=" + ms / 1000.0
                                    + "s (a client must send its whole body, then half-close or match Content-Length); nothing was published\n"));
        }
    }

    /** Ends the request with {@code bytes} (null: no answer) and drops whatever else arrives. */
    void answer(byte[] bytes) {
        if (decided) return;
        decided = true;
        cancelTimeout();
        cx.admission.answered(bytes);
        written = GracefulClose.endWith(ctx.channel(), bytes, inputClosed, cx.cutAnswers, cx.timers);
    }

    /** Ends the request with the Hub's answer once it comes. */
    void reply(Future<byte[]> answer) {
        decided = true;
        cancelTimeout();
        answer.onComplete(ar -> ctx.executor().execute(() -> {
            if (ar.succeeded()) cx.admission.answered(ar.result());
            else cx.admission.answered(503);
            written = GracefulClose.endWith(
                    ctx.channel(),
                    ar.succeeded() ? ar.result() : failed(ar.cause()),
                    inputClosed,
                    cx.cutAnswers,
                    cx.timers);
        }));
    }

    /**
     * Answers a kept-alive request, then the handler reads the next one. That happens only once
     * this answer has been handed to the socket, so a client that sends many requests and reads
     * no answers holds at most one answer here (and reading pauses once IN_MAXLEN bytes wait, see
     * InHandler.channelRead).
     */
    void keep(Future<byte[]> answer) {
        busy = true;
        cancelTimeout();
        answer.onComplete(ar -> {
            if (ctx.executor().inEventLoop()) kept(ar.result(), ar.cause());
            else ctx.executor().execute(() -> kept(ar.result(), ar.cause()));
        });
    }

    private void kept(byte[] bytes, Throwable failure) {
        if (decided) return;
        if (failure != null) bytes = failed(failure);
        cx.admission.answered(bytes);
        served++;
        startTimeout();
        ctx.writeAndFlush(Unpooled.wrappedBuffer(InAnswer.keptAlive(bytes))).addListener(w -> {
            if (!w.isSuccess()) {
                decided = true;
                ctx.close();
            } else if (!decided) {
                busy = false;
                next.run();
            }
        });
    }

    private static byte[] failed(Throwable cause) {
        log.warn("IN request failed: {}", cause.toString());
        return InAnswer.answer(
                "503 Service Unavailable", "the request could not be carried out: " + cause.getMessage() + "\n");
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }
}
