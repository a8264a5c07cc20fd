package org.realplexor.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load generator's transport: a few Netty event loops (epoll when available) and client
 * sockets bound to 127.0.0.2, 127.0.0.3, ... so that tens of thousands of connections to one
 * server port never exhaust the ephemeral ports of a single source address. With {@code --tls},
 * every connection gets an SslHandler in front of its handler; without, the handler alone.
 */
final class Loopback implements AutoCloseable {
    private final EventLoopGroup group;
    private final boolean epoll;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<InetSocketAddress> sources = new ArrayList<>();
    /** Null: plain TCP. */
    private final ClientTls tls;

    Loopback(int threads, int sourceCount) {
        this(threads, sourceCount, null);
    }

    Loopback(int threads, int sourceCount, ClientTls tls) {
        this.tls = tls;
        epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(
                threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        for (int i = 0; i < threads; i++) {
            loops.add(group.next());
        }
        for (int i = 0; i < sourceCount; i++) {
            try {
                sources.add(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}), 0));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** The clients' TLS, null for plain TCP. */
    ClientTls tls() {
        return tls;
    }

    /** What to hand a bootstrap for a WAIT connection to {@code server}: {@code handler}, behind TLS with --tls. */
    ChannelHandler waitClient(ChannelHandler handler, InetSocketAddress server) {
        return tls == null ? handler : tls.waitClient(handler, server);
    }

    /** The same for an IN connection. */
    ChannelHandler inClient(ChannelHandler handler, InetSocketAddress server) {
        return tls == null ? handler : tls.inClient(handler, server);
    }

    /** Event loop number {@code i} (modulo the count): a connection and its state stay on one loop. */
    EventLoop loop(int i) {
        return loops.get(Math.floorMod(i, loops.size()));
    }

    /** Source address number {@code i} (modulo the count), port chosen by the kernel at connect. */
    InetSocketAddress source(int i) {
        return sources.get(Math.floorMod(i, sources.size()));
    }

    /** A client bootstrap (handler still to set) whose channels all live on {@code loop}. */
    Bootstrap bootstrap(EventLoop loop) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        if (epoll) {
            // Defer the port choice to connect(), where the kernel can reuse a port for another destination.
            b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        return b;
    }

    /**
     * Lets every event loop finish what is queued on it, so the caller sees the loops' state.
     * Two passes: closing a channel queues its inactive event as a further task.
     */
    void drain(Deadline deadline) throws InterruptedException {
        for (int pass = 0; pass < 2; pass++) {
            for (EventLoop loop : loops) {
                try {
                    loop.submit(() -> {}).get(Math.max(1, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    Bench.note("event loop did not drain: " + e);
                }
            }
        }
    }

    static boolean isLoopback(InetSocketAddress a) {
        return a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    static void closeQuietly(Channel ch) {
        if (ch != null) {
            ch.close();
        }
    }
}
