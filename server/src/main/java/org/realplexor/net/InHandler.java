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
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.realplexor.protocol.ChunkedBody;
import org.realplexor.protocol.InAnswer;
import org.realplexor.protocol.IdempotencyKey;
import org.realplexor.protocol.InCommand;
import org.realplexor.protocol.IdentifierList;
import org.realplexor.protocol.RawRequest;
import org.realplexor.protocol.Utf8;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IN connection: a publish or a command from the back end. Acts when the request is complete,
 * which for the original's clients means their half-close (the body is then everything after the
 * blank line, whatever Content-Length said) and for standard HTTP clients the arrival of exactly
 * their declared Content-Length. Credentials are checked as soon as the identifier is read.
 */
final class InHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InHandler.class);
    private static final byte[] BUSY = busy();
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** Up to this many bytes, every read looks for the identifier (a wrong password is refused at once). */
    private static final int SCAN_EVERY_READ = 16 * 1024;

    private final Supplier<InContext> contexts;
    private InContext cx;
    private final ByteAccumulator acc = new ByteAccumulator();
    private IdentifierList list;
    private boolean decided;
    private boolean inputClosed;
    private boolean continued;
    /** Where the head ends and the body starts, once the blank line has arrived; -1 until then. */
    private int bodyStart = -1;
    /** How far the search for the blank line has got (bytes arrive a read at a time). */
    private int headSearched;
    /** From the head, read once: the declared Content-Length (-1: none) and the Expect header. */
    private long declared = -1;
    private boolean expectsContinue;
    /** The body's decoder when it is sent in chunks, else null. */
    private ChunkedBody.Decoder chunks;
    /** The request's length when the identifier was last looked for and not found. */
    private int idSearched;
    /** A command at the start whose line has not ended yet, and how far its line end was looked for. */
    private InCommand unfinishedCommand;
    private int commandSearched;
    /** A login's password is being checked (off the loop): act on nothing until it is. */
    private boolean authPending;
    /** The size of {@link #acc}'s array, counted in {@link InBuffers} until the connection ends. */
    private long held;
    private Timeout timeout;
    /** Set once the answer is handed to the channel; the connection ends after it. */
    private io.netty.channel.ChannelFuture written;

    InHandler(Supplier<InContext> contexts) {
        this.contexts = contexts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        cx = contexts.get();
        if (!cx.admission.admit(ctx.channel(), cx.settings.inMaxConnections())) {
            answer(ctx, BUSY);
            return;
        }
        long ms = cx.settings.inTimeoutMs();
        timeout = cx.timers.after(ms, () -> ctx.executor().execute(() -> answer(ctx, InAnswer.answer("408 Request Timeout",
                "the request did not complete within IN_TIMEOUT=" + ms / 1000.0
                        + "s (a client must send its whole body, then half-close or match Content-Length); nothing was published\n"))));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (decided || !(msg instanceof ByteBuf in)) return;
            int max = cx.settings.inMaxlen();
            if (!acc.append(in, max)) {
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
            checkIdentifier(ctx, false, false);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!decided) complete(ctx, false);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            HalfClosure.inputEnded(ctx.channel());
            inputClosed = true;
            if (written != null) {
                Answering.closeAfter(ctx.channel(), written);
            } else if (!decided) {
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

    /**
     * Reads the identifier once it is complete and checks its credentials right away. It is
     * nearly always in the first read. Past the first {@link #SCAN_EVERY_READ} bytes, one that
     * is not there yet is looked for again once the request has doubled, and always before the
     * request is acted on ({@code force}), so that a large request arriving in many small reads
     * is not scanned from its start at every read.
     */
    private void checkIdentifier(ChannelHandlerContext ctx, boolean atEnd, boolean force) {
        if (list != null || decided) return;
        int len = acc.length;
        if (!force && len > SCAN_EVERY_READ && len < 2 * idSearched) return;
        idSearched = len;
        list = cx.scanner.scan(acc.bytes, len, atEnd);
        if (list == null) return;
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

    /**
     * Acts on the request if it is complete; otherwise waits for more bytes or the end. What is
     * learnt from earlier reads (where the head ends, its headers, the chunks decoded so far) is
     * kept, so each read costs about its own bytes.
     */
    private void complete(ChannelHandlerContext ctx, boolean atEnd) {
        if (authPending) return;
        byte[] b = acc.bytes;
        int len = acc.length;
        InCommand cmd = commandAt(b, len, atEnd);
        if (cmd != null) {
            if (cmd.complete() && identified(ctx, atEnd)) command(ctx, cmd);
            return;
        }
        if (!headFound(b, len)) return;
        if (chunks != null) {
            completeChunked(ctx, b, len, atEnd);
            return;
        }
        int bodyLen = len - bodyStart;
        if (!atEnd && declared != bodyLen) {
            if (declared > bodyLen) expectContinue(ctx);
            return;
        }
        if (identified(ctx, atEnd)) act(ctx, Arrays.copyOfRange(b, bodyStart, len));
    }

    /** Before acting: the identifier, if the request has one, is read and its credentials checked. */
    private boolean identified(ChannelHandlerContext ctx, boolean atEnd) {
        checkIdentifier(ctx, atEnd, true);
        return !decided && !authPending;
    }

    /**
     * A command at the very start (the original's clients may send one without any HTTP head).
     * While its line is unfinished, a read looks only at its own bytes for the line's end.
     */
    private InCommand commandAt(byte[] b, int len, boolean atEnd) {
        // (Only once a byte after the name has arrived: "ONLINEX" is no command.)
        if (unfinishedCommand != null && !atEnd && commandSearched > unfinishedCommand.name().length()) {
            int from = commandSearched;
            commandSearched = len;
            boolean ended = false;
            for (int i = from; i < len && !ended; i++) ended = b[i] == '\n';
            if (!ended) return unfinishedCommand;
        }
        InCommand cmd = InCommand.at(b, 0, len, atEnd);
        unfinishedCommand = cmd != null && !cmd.complete() ? cmd : null;
        commandSearched = len;
        return cmd;
    }

    /** Looks for the end of the head in the new bytes; once found, reads the headers that matter. */
    private boolean headFound(byte[] b, int len) {
        if (bodyStart >= 0) return true;
        bodyStart = RawRequest.bodyStart(b, Math.max(0, headSearched - 2), len);
        headSearched = len;
        if (bodyStart < 0) return false;
        declared = contentLength(b, bodyStart);
        String expect = RawRequest.header(b, bodyStart, "Expect");
        expectsContinue = expect != null && expect.equalsIgnoreCase("100-continue");
        if (chunked(b, bodyStart)) chunks = new ChunkedBody.Decoder(bodyStart);
        return true;
    }

    /** The body is a command or a message. */
    private void act(ChannelHandlerContext ctx, byte[] body) {
        InCommand bodyCmd = InCommand.at(body, 0, body.length, true);
        if (bodyCmd != null) {
            command(ctx, bodyCmd);
        } else {
            publish(ctx, body);
        }
    }

    /** Standard HTTP clients send a body of unknown length in chunks; old clients never do. */
    private static boolean chunked(byte[] b, int headEnd) {
        if (!RawRequest.startsWithRequestLine(b, headEnd)) return false;
        String te = RawRequest.header(b, headEnd, "Transfer-Encoding");
        if (te == null) return false;
        String[] codings = te.split(",");
        return codings[codings.length - 1].trim().equalsIgnoreCase("chunked"); // chunked comes last
    }

    private void completeChunked(ChannelHandlerContext ctx, byte[] b, int len, boolean atEnd) {
        byte[] body;
        try {
            body = chunks.feed(b, len);
        } catch (ChunkedBody.Malformed e) {
            answer(ctx, InAnswer.answer("400 Bad Request", "the chunked body is malformed (" + e.getMessage()
                    + "); nothing was published\n"));
            return;
        }
        if (body != null) {
            if (identified(ctx, atEnd)) act(ctx, body);
        } else if (atEnd) {
            answer(ctx, InAnswer.answer("400 Bad Request", "the chunked body ended before its last chunk; nothing was published\n"));
        } else {
            expectContinue(ctx);
        }
    }

    private void publish(ChannelHandlerContext ctx, byte[] body) {
        String guest = list == null ? cx.auth.denial(null, null) : null;
        if (guest != null) {
            answer(ctx, InAnswer.denied(guest));
        } else if (list == null) {
            answer(ctx, InAnswer.answer("400 Bad Request", "no " + cx.settings.identifier()
                    + "=... found in the request (e.g. a header X-Realplexor: " + cx.settings.identifier()
                    + "=ID); nothing was published\n"));
        } else if (list.overLimit() != null) {
            answer(ctx, InAnswer.answer("400 Bad Request", list.overLimit() + "; nothing was published\n"));
        } else if (body.length == 0) {
            answer(ctx, InAnswer.answer("400 Bad Request", "the message body is empty; nothing was published\n"));
        } else if (Utf8.firstInvalid(body) >= 0) {
            // WebSocket frames and EventSource carry UTF-8 only: one message must reach every transport alike.
            answer(ctx, InAnswer.answer("400 Bad Request", "the message body is not valid UTF-8 (byte offset "
                    + Utf8.firstInvalid(body) + "); nothing was published\n"));
        } else {
            String key = RawRequest.header(acc.bytes, bodyStart, IdempotencyKey.HEADER);
            String badKey = IdempotencyKey.problem(key);
            if (badKey != null) answer(ctx, InAnswer.answer("400 Bad Request", badKey + "; nothing was published\n"));
            else reply(ctx, cx.hub.publish(list.items(), list.login(), body, key).map(r -> InAnswer.ok(r.lines())));
        }
    }

    private void command(ChannelHandlerContext ctx, InCommand cmd) {
        String login = list == null ? null : list.login();
        if (list == null) {
            String guest = cx.auth.denial(null, null);
            if (guest != null) {
                answer(ctx, InAnswer.denied(guest));
                return;
            }
        }
        List<String> args = cmd.args();
        switch (cmd.name()) {
            case "ONLINE" -> reply(ctx, cx.hub.online(login, args).map(InAnswer::ok));
            case "WATCH" -> reply(ctx, cx.hub.watch(login, args.isEmpty() ? "" : args.get(0),
                    args.isEmpty() ? List.of() : args.subList(1, args.size())).map(InAnswer::ok));
            default -> {
                if (login != null) answer(ctx, null);
                else reply(ctx, cx.hub.stats().map(InAnswer::ok));
            }
        }
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

    /** IN_MAX_CONNECTIONS reached: a short 503 that says when to come back. */
    private static byte[] busy() {
        String s = new String(InAnswer.answer("503 Service Unavailable",
                "the IN line holds as many connections as it may (IN_MAX_CONNECTIONS); nothing was published, try again shortly\n"),
                StandardCharsets.ISO_8859_1);
        return s.replaceFirst("\r\n", "\r\nRetry-After: 1\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** curl and others wait for "100 Continue" before a large body; old clients never ask. */
    private void expectContinue(ChannelHandlerContext ctx) {
        if (continued || !expectsContinue) return;
        continued = true;
        // A client that waits to be asked for its body learns at once that it is too long.
        if (declared > cx.settings.inMaxlen()) {
            answer(ctx, InAnswer.answer("413 Request Entity Too Large", "Content-Length " + declared
                    + " is over IN_MAXLEN=" + cx.settings.inMaxlen() + " bytes; nothing was published\n"));
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
    }

    /** The declared Content-Length, or -1 when missing, empty or not a number. */
    private static long contentLength(byte[] b, int headEnd) {
        String v = RawRequest.header(b, headEnd, "Content-Length");
        if (v == null || v.isEmpty() || v.length() > 12) return -1;
        for (int i = 0; i < v.length(); i++) if (!Character.isDigit(v.charAt(i))) return -1;
        return Long.parseLong(v);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }
}
