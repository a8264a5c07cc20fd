package org.realplexor.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.realplexor.config.HostPort;
import org.realplexor.net.h2.H2Line;
import org.realplexor.net.tls.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the WAIT and IN listeners as plain Netty pipelines on Vert.x's own event loops: no HTTP
 * codec (old clients need the lenient scanner and half-close), and a held poll costs only the
 * channel and one small handler.
 */
final class ServerSockets {
    private static final Logger log = LoggerFactory.getLogger(ServerSockets.class);

    private final VertxInternal vertx;
    private final List<Channel> servers = new ArrayList<>();
    private final AtomicInteger open;

    ServerSockets(VertxInternal vertx, AtomicInteger open) {
        this.vertx = vertx;
        this.open = open;
    }

    /** Binds every WAIT address; returns the bound addresses (port 0 becomes a real port). */
    List<InetSocketAddress> bindWait(List<String> addrs, Supplier<WaitContext> contexts) throws InterruptedException {
        return bindWait(addrs, contexts, null);
    }

    /** @param tls the line's TLS contexts for WAIT_TLS_ADDR, or null for the plain WAIT_ADDR */
    List<InetSocketAddress> bindWait(List<String> addrs, Supplier<WaitContext> contexts, TlsContexts tls)
            throws InterruptedException {
        return bindWait(addrs, contexts, tls, null);
    }

    /** @param h2 HTTP/2 next to HTTP/1.1 on the TLS addresses (ALPN picks), or null for HTTP/1.1 only */
    List<InetSocketAddress> bindWait(List<String> addrs, Supplier<WaitContext> contexts, TlsContexts tls, H2Line h2)
            throws InterruptedException {
        Supplier<ChannelHandler> plain = () -> new WaitHandler(contexts);
        return bind("WAIT", addrs, LinePipeline.waitLine(open, h2 == null ? plain : h2::negotiation, tls), tls);
    }

    List<InetSocketAddress> bindIn(List<String> addrs, Supplier<InContext> contexts) throws InterruptedException {
        return bindIn(addrs, contexts, null);
    }

    List<InetSocketAddress> bindIn(List<String> addrs, Supplier<InContext> contexts, TlsContexts tls)
            throws InterruptedException {
        return bind("IN", addrs, LinePipeline.inLine(open, () -> new InHandler(contexts), tls), tls);
    }

    private List<InetSocketAddress> bind(String line, List<String> addrs, LinePipeline pipeline, TlsContexts tls)
            throws InterruptedException {
        String knob = line + (tls == null ? "_ADDR" : "_TLS_ADDR");
        List<InetSocketAddress> bound = new ArrayList<>();
        for (String a : addrs) {
            HostPort hp = HostPort.parse(knob, a);
            InetSocketAddress addr;
            try {
                addr = perLoop() ? bindPerLoop(line, hp, pipeline) : bindShared(line, hp, pipeline);
            } catch (Exception e) {
                throw new IllegalStateException("cannot listen on " + knob + " " + a + ": " + e.getMessage(), e);
            }
            bound.add(addr);
            log.info(
                    "{} line listening on {}{}",
                    line,
                    new HostPort(hp.host(), addr.getPort()),
                    tls == null ? "" : " (TLS)");
        }
        return bound;
    }

    /** Native transport: one listening socket per event loop, shared through SO_REUSEPORT. */
    private boolean perLoop() {
        return vertx.isNativeTransportEnabled();
    }

    /**
     * Every event loop accepts on a listening socket of its own (SO_REUSEPORT; the kernel spreads
     * connections over them) and serves what it accepted: no acceptor thread, and no wake-up of
     * another thread per connection, which the fan-out profile showed costing about a fifth of
     * the server's CPU.
     */
    private InetSocketAddress bindPerLoop(String line, HostPort hp, LinePipeline pipeline) throws Exception {
        int port = hp.port();
        if (port != 0) refuseIfTaken(hp);
        InetSocketAddress first = null;
        for (EventExecutor e : vertx.nettyEventLoopGroup()) {
            EventLoop loop = (EventLoop) e;
            Channel ch = bootstrap(line, pipeline, loop, loop, serverChannels(hp.host()))
                    .option(UnixChannelOption.SO_REUSEPORT, true)
                    // Accept only once the request's first bytes are there: the loop then reads
                    // at once instead of waking again for them.
                    .option(EpollChannelOption.TCP_DEFER_ACCEPT, 5)
                    .bind(hp.host(), port)
                    .sync()
                    .channel();
            servers.add(ch);
            if (first == null) {
                first = (InetSocketAddress) ch.localAddress();
                port = first.getPort();
            }
        }
        return first;
    }

    /**
     * An IPv4 address gets an IPv4 socket. The transport's default socket is dual-stack, so
     * {@code 0.0.0.0} would also accept IPv6 connections, which the original (IPv4 only) never
     * did and a firewall written for IPv4 would not expect.
     */
    private ChannelFactory<? extends ServerChannel> serverChannels(String host) {
        if (NetUtil.isValidIpV4Address(host)
                && vertx.transport() instanceof io.vertx.core.impl.transports.EpollTransport) {
            return () -> new EpollServerSocketChannel(SocketProtocolFamily.INET);
        }
        return vertx.transport().serverChannelFactory(false);
    }

    /** Other transports: Vert.x's acceptor thread hands connections to the event loops. */
    private InetSocketAddress bindShared(String line, HostPort hp, LinePipeline pipeline) throws Exception {
        Channel ch = bootstrap(
                        line,
                        pipeline,
                        vertx.acceptorEventLoopGroup(),
                        vertx.nettyEventLoopGroup(),
                        vertx.transport().serverChannelFactory(false))
                .bind(hp.host(), hp.port())
                .sync()
                .channel();
        servers.add(ch);
        return (InetSocketAddress) ch.localAddress();
    }

    private ServerBootstrap bootstrap(
            String line,
            LinePipeline pipeline,
            EventLoopGroup acceptors,
            EventLoopGroup loops,
            ChannelFactory<? extends ServerChannel> serverChannels) {
        return new ServerBootstrap()
                .group(acceptors, loops)
                .channelFactory(serverChannels)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptFailures(line))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, pipeline.reads)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, pipeline.pending)
                .childHandler(pipeline);
    }

    /**
     * With SO_REUSEPORT a second server started by mistake on the same port would silently get
     * half the connections; a plain bind first fails on a port anyone listens on.
     */
    private static void refuseIfTaken(HostPort hp) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            // As the real sockets: connections of a previous run in TIME_WAIT do not count.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(hp.host(), hp.port()));
        } catch (BindException e) {
            throw new BindException("address already in use");
        }
    }

    /** Stops accepting; connections already open stay. */
    void close() {
        for (Channel ch : servers) ch.close().syncUninterruptibly();
        servers.clear();
    }
}
