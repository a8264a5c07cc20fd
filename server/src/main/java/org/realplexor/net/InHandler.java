package org.realplexor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.realplexor.protocol.IdentifierList;
import org.realplexor.protocol.InAnswer;
import org.realplexor.protocol.InReader;
import org.realplexor.protocol.InRequest;
import org.realplexor.protocol.InStep;

/**
 * One IN connection: a publish or a command from the back end. Acts when the request is complete,
 * which for the original's clients means their half-close (the body is then everything after the
 * blank line, whatever Content-Length said) and for standard HTTP clients the arrival of exactly
 * their declared Content-Length. Credentials are checked as soon as the identifier is read. The
 * answers, and IN_TIMEOUT around them, are written by {@link InReplies}.
 *
 * <p>A request that asks to keep the connection (see {@link InReader#keepAlive}) is answered
 * with {@code Connection: keep-alive}, and the connection then reads the next request: requests
 * sent one behind the other are answered in order, one at a time (the next is acted on once the
 * answer before it is written; reading pauses if IN_MAXLEN bytes wait meanwhile). IN_TIMEOUT
 * then bounds each request and the idle time between two; IN_MAXLEN and IN_BUFFERS count each
 * request on its own. Any other answer ends the connection as ever.
 */
final class InHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] BUSY = InAnswer.busy();
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final Supplier<InContext> contexts;
    private InContext cx;
    private InReplies out;
    private final InBytes acc = new InBytes();
    private InReader reader;
    /** The identifier list whose credentials are checked (or being checked); null until found. */
    private IdentifierList list;
    /** A login's password is being checked (off the loop): act on nothing until it is. */
    private boolean authPending;

    InHandler(Supplier<InContext> contexts) {
        this.contexts = contexts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        cx = contexts.get();
        out = new InReplies(ctx, cx, () -> acc.length == 0, () -> next(ctx));
        reader = new InReader(cx.scanner);
        if (!cx.admission.admit(ctx.channel(), cx.settings.inMaxConnections())) {
            out.answer(BUSY);
            return;
        }
        out.startTimeout();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (out.decided() || !(msg instanceof ByteBuf in)) return;
            byte[] refusal = acc.add(in, cx);
            if (refusal != null) {
                out.answer(refusal);
                return;
            }
            // Reading pauses only once a request's worth waits behind the one being carried out:
            // toggling it for every request would cost two system calls each.
            boolean busy = out.busy();
            if (busy && acc.length >= cx.settings.inMaxlen())
                ctx.channel().config().setAutoRead(false);
            if (!busy) checkIdentifier(ctx, false, false);
            if (!busy && !out.decided() && acc.length > cx.settings.inMaxlen()) complete(ctx, false);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!out.decided() && !out.busy()) complete(ctx, false);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            HalfClosure.inputEnded(ctx.channel());
            // (busy: the next request is read at the end, see next)
            if (!out.inputEnded() && !out.decided() && !out.busy()) {
                checkIdentifier(ctx, true, true);
                if (!out.decided()) complete(ctx, true);
                if (!out.decided() && !authPending) out.answer(null);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        out.closed();
        acc.release(cx);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** Reads the identifier once it is complete and checks its credentials right away (see {@link InReader#identifiers}). */
    private void checkIdentifier(ChannelHandlerContext ctx, boolean atEnd, boolean force) {
        if (list != null || out.decided()) return;
        IdentifierList found = reader.identifiers(acc.bytes, acc.length, atEnd, force);
        if (found != null) credentials(ctx, found);
    }

    private void credentials(ChannelHandlerContext ctx, IdentifierList found) {
        list = found;
        if (list.login() == null) {
            String denial = cx.auth.denial(null, null);
            if (denial != null) out.answer(InAnswer.denied(denial));
            return;
        }
        PasswordChecks.Verdict v = cx.passwords.check(
                cx.auth,
                ctx.channel(),
                list.login(),
                list.password(),
                refusal -> ctx.executor().execute(() -> checked(ctx, refusal)));
        authPending = v.pending();
        if (v.answer() != null) out.answer(v.answer());
    }

    /** The password check is done: refuse (null: granted), or carry on with whatever has arrived meanwhile. */
    private void checked(ChannelHandlerContext ctx, byte[] refusal) {
        authPending = false;
        if (out.decided()) return;
        if (refusal != null) {
            out.answer(refusal);
            return;
        }
        complete(ctx, out.inputClosed());
        if (out.inputClosed() && !out.decided()) out.answer(null);
    }

    /** Acts on the request if it is complete; otherwise waits for more bytes or the end. */
    private void complete(ChannelHandlerContext ctx, boolean atEnd) {
        if (authPending) return;
        InStep step = reader.read(acc.bytes, acc.length, atEnd);
        int max = cx.settings.inMaxlen();
        if (acc.length > max
                && (step instanceof InStep.More
                        || step instanceof InStep.Done d && d.request().end() > max)) {
            out.answer(InBytes.tooLong(max)); // (see InBytes.add)
        } else if (step == InStep.ASK_FOR_BODY) {
            expectContinue(ctx);
        } else if (step instanceof InStep.Refused r) {
            out.answer(InAnswer.answer(r.status(), r.reason() + "; nothing was published\n"));
        } else if (step instanceof InStep.Done d) {
            // Before acting, the identifier, if the request has one, has its credentials checked.
            if (list == null && d.request().identifiers() != null)
                credentials(ctx, d.request().identifiers());
            if (!out.decided() && !authPending) act(d.request());
        }
    }

    /** The request is complete and its credentials pass: what it asks of the Hub (see {@link InDispatch}). */
    private void act(InRequest req) {
        InDispatch.Outcome o = InDispatch.act(cx, req);
        if (req.keepAlive() && (o.later() != null || o.now() != null)) {
            // The request has been read whole: its bytes go now, what follows is the next request.
            acc.consume(req.end());
            out.keep(o.later() != null ? o.later() : Future.succeededFuture(o.now()));
        } else if (o.later() != null) {
            out.reply(o.later());
        } else {
            out.answer(o.now());
        }
    }

    /** The kept-alive answer is out: the next request starts with the bytes that followed. */
    private void next(ChannelHandlerContext ctx) {
        reader = new InReader(cx.scanner);
        list = null;
        acc.idle(cx);
        if (!ctx.channel().config().isAutoRead()) ctx.channel().config().setAutoRead(true);
        boolean atEnd = out.inputClosed();
        if (acc.length == 0 && !atEnd) return;
        checkIdentifier(ctx, atEnd, atEnd);
        if (!out.decided()) complete(ctx, atEnd);
        if (atEnd && !out.decided() && !authPending && !out.busy()) out.answer(null);
    }

    /** The client waits for "100 Continue": one that is too long learns at once instead. */
    private void expectContinue(ChannelHandlerContext ctx) {
        long declared = reader.declared();
        if (declared > cx.settings.inMaxlen()) {
            out.answer(InAnswer.answer(
                    "413 Request Entity Too Large",
                    "Content-Length " + declared + " is over IN_MAXLEN=" + cx.settings.inMaxlen()
                            + " bytes; nothing was published\n"));
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
    }
}
