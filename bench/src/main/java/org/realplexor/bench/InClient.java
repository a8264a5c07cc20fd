package org.realplexor.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A publisher as the original PHP API is: one request per TCP connection,
 * {@code POST / HTTP/1.1} with Content-Length and {@code X-Realplexor: identifier=...}, the body,
 * a half-close of the write side, then the answer read until the server closes. Over TLS
 * ({@code --tls}) the half-close is a close_notify followed by the TCP half-close.
 */
final class InClient {
    /** The server's answer: status code (-1 when there was no status line) and the whole text. */
    record Answer(int status, String text) {}

    private final Loopback net;
    private final InetSocketAddress in;
    private final AtomicInteger next = new AtomicInteger();
    private final boolean tls;

    InClient(Loopback net, InetSocketAddress in) {
        this.net = net;
        this.in = in;
        this.tls = net.tls() != null;
    }

    CompletableFuture<Answer> send(String identifier, byte[] body) {
        int n = next.getAndIncrement();
        CompletableFuture<Answer> result = new CompletableFuture<>();
        Exchange exchange = new Exchange(identifier, body, result);
        ChannelFuture f =
                net.bootstrap(net.loop(n)).handler(net.inClient(exchange, in)).connect(in, net.source(n));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(done.cause());
            }
        });
        return result;
    }

    private final class Exchange extends ChannelInboundHandlerAdapter {
        private final String identifier;
        private final byte[] body;
        private final CompletableFuture<Answer> result;
        private ByteBuf answer;

        Exchange(String identifier, byte[] body, CompletableFuture<Answer> result) {
            this.identifier = identifier;
            this.body = body;
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String head = "POST / HTTP/1.1\r\n"
                    + "Host: " + in.getHostString() + ":" + in.getPort() + "\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "X-Realplexor: identifier=" + identifier + "\r\n"
                    + "\r\n";
            ByteBuf req = ctx.alloc().buffer(head.length() + body.length);
            ByteBufUtil.writeAscii(req, head);
            req.writeBytes(body);
            ctx.writeAndFlush(req).addListener(w -> {
                if (!w.isSuccess()) {
                    return;
                }
                if (tls) {
                    // The end of the request over TLS: close_notify, then (once it is written) the FIN.
                    ctx.pipeline().get(SslHandler.class).closeOutbound().addListener(c -> {
                        if (c.isSuccess()) {
                            ((DuplexChannel) ctx.channel()).shutdownOutput();
                        }
                    });
                } else {
                    ((DuplexChannel) ctx.channel()).shutdownOutput();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (answer == null) {
                    answer = ctx.alloc().heapBuffer(128);
                }
                answer.writeBytes(in);
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            String text = answer == null ? "" : answer.toString(StandardCharsets.ISO_8859_1);
            if (answer != null) {
                answer.release();
                answer = null;
            }
            result.complete(new Answer(status(text), text));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }
    }

    private static int status(String text) {
        // "HTTP/1.x NNN ..."
        if (text.startsWith("HTTP/") && text.length() >= 12 && text.charAt(8) == ' ') {
            try {
                return Integer.parseInt(text.substring(9, 12));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
