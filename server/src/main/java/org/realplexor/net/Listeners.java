package org.realplexor.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.realplexor.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the WAIT and IN listeners as plain Netty pipelines on Vert.x's own event loops: no HTTP
 * codec (old clients need the lenient scanner and half-close), and a held poll costs only the
 * channel and one small handler.
 */
final class Listeners {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final VertxInternal vertx;
    private final List<Channel> servers = new ArrayList<>();
    private final AtomicInteger open;

    Listeners(VertxInternal vertx, AtomicInteger open) {
        this.vertx = vertx;
        this.open = open;
    }

    /** Binds every WAIT address; returns the bound addresses (port 0 becomes a real port). */
    List<InetSocketAddress> bindWait(List<String> addrs, Supplier<WaitContext> contexts) throws InterruptedException {
        return bind("WAIT", addrs, () -> new WaitHandler(contexts));
    }

    List<InetSocketAddress> bindIn(List<String> addrs, Supplier<InContext> contexts) throws InterruptedException {
        return bind("IN", addrs, () -> new InHandler(contexts));
    }

    private List<InetSocketAddress> bind(String line, List<String> addrs, Supplier<ChannelHandler> handlers)
            throws InterruptedException {
        List<InetSocketAddress> bound = new ArrayList<>();
        for (String a : addrs) {
            HostPort hp = HostPort.parse(line + "_ADDR", a);
            ServerBootstrap b = new ServerBootstrap()
                    .group(vertx.acceptorEventLoopGroup(), vertx.nettyEventLoopGroup())
                    .channelFactory(vertx.transport().serverChannelFactory(false))
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new AcceptFailures(line))
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            open.incrementAndGet();
                            ch.closeFuture().addListener(f -> open.decrementAndGet());
                            ch.pipeline().addLast(handlers.get());
                        }
                    });
            Channel ch;
            try {
                ch = b.bind(hp.host(), hp.port()).sync().channel();
            } catch (Exception e) {
                throw new IllegalStateException("cannot listen on " + line + "_ADDR " + a + ": " + e.getMessage(), e);
            }
            servers.add(ch);
            InetSocketAddress addr = (InetSocketAddress) ch.localAddress();
            bound.add(addr);
            log.info("{} line listening on {}", line, new HostPort(hp.host(), addr.getPort()));
        }
        return bound;
    }

    /** Stops accepting; connections already open stay. */
    void close() {
        for (Channel ch : servers) ch.close().syncUninterruptibly();
        servers.clear();
    }

    /**
     * Logs accept failures (such as running out of file descriptors) at most once a second; the
     * Netty acceptor behind this handler then pauses accepting for a second and retries, so the
     * server keeps serving the connections it has instead of dying.
     */
    private static final class AcceptFailures extends ChannelInboundHandlerAdapter {
        private final String line;
        private long lastLog;

        AcceptFailures(String line) {
            this.line = line;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            long now = System.currentTimeMillis();
            if (now - lastLog > 1000) {
                lastLog = now;
                log.warn("{} line cannot accept a connection: {} (open files limit? retrying)", line, cause.toString());
            }
            ctx.fireExceptionCaught(cause);
        }
    }
}
