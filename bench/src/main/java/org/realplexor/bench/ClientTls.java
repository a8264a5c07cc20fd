package org.realplexor.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * The bench's clients over TLS ({@code --tls}): an SslHandler first in each connection's
 * pipeline, trusting the bench's throwaway CA and verifying the server's name as a browser
 * would. One client context per line for the whole run, and every engine made for the server's
 * host and port, so that the context's session cache resumes sessions across reconnects (a
 * long-poll reconnects after every answer), as a browser does.
 *
 * <p>Both lines' clients use BoringSSL (Netty's OpenSSL engine) where it loads, else the JDK's:
 * on a small machine the bench shares its cores with the server, and the JDK's engine cost the
 * bench more than twice the CPU per publish. OpenSSL's engine also tells whether a handshake
 * resumed a session. An IN client sends close_notify after its request, then the TCP
 * half-close, and still reads the answer (TLS 1.3 allows that half-close).
 */
final class ClientTls {
    /** Handshakes completed on one line, how many resumed a session (-1: the engine cannot tell), and failures. */
    record Counts(long handshakes, long resumed, long failed) {
        Counts minus(Counts o) {
            return new Counts(handshakes - o.handshakes, resumed < 0 ? -1 : resumed - o.resumed, failed - o.failed);
        }

        double resumedShare() {
            return resumed < 0 || handshakes == 0 ? Double.NaN : (double) resumed / handshakes;
        }
    }

    /** The OpenSSL engine's own answer to "was this session resumed" (not public API: read reflectively). */
    private static final Method SESSION_REUSED = sessionReused();

    private final Side wait;
    private final Side in;

    private ClientTls(Side wait, Side in) {
        this.wait = wait;
        this.in = in;
    }

    static ClientTls trusting(Path ca) throws SSLException {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        return new ClientTls(new Side(context(ca, provider), provider), new Side(context(ca, provider), provider));
    }

    private static SslContext context(Path ca, SslProvider provider) throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(provider)
                .trustManager(ca.toFile())
                .protocols("TLSv1.3", "TLSv1.2")
                .endpointIdentificationAlgorithm("HTTPS")
                .build();
    }

    /** For the notes: which engine each line's clients use. */
    String engines() {
        return "WAIT clients " + wait.provider.name().toLowerCase(java.util.Locale.ROOT) + ", IN clients "
                + in.provider.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code handler} behind an SslHandler for a WAIT connection to {@code server}. */
    ChannelHandler waitClient(ChannelHandler handler, InetSocketAddress server) {
        return wait.wrap(handler, server);
    }

    /** {@code handler} behind an SslHandler for an IN connection to {@code server}. */
    ChannelHandler inClient(ChannelHandler handler, InetSocketAddress server) {
        return in.wrap(handler, server);
    }

    Counts waitCounts() {
        return wait.counts();
    }

    Counts inCounts() {
        return in.counts();
    }

    /** One line's client context and its handshake counts. */
    private static final class Side {
        final SslContext context;
        final SslProvider provider;
        final LongAdder handshakes = new LongAdder();
        final LongAdder resumed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final boolean tellsResumption;

        Side(SslContext context, SslProvider provider) {
            this.context = context;
            this.provider = provider;
            this.tellsResumption = provider == SslProvider.JDK || SESSION_REUSED != null;
        }

        ChannelHandler wrap(ChannelHandler handler, InetSocketAddress server) {
            return new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    SslHandler ssl = context.newHandler(ch.alloc(), server.getHostString(), server.getPort());
                    long started = System.currentTimeMillis();
                    ssl.handshakeFuture().addListener(f -> {
                        if (f.isSuccess()) {
                            handshakes.increment();
                            if (tellsResumption && reused(ssl.engine(), started)) {
                                resumed.increment();
                            }
                        } else {
                            failed.increment();
                        }
                    });
                    ch.pipeline().addLast(ssl, handler);
                }
            };
        }

        Counts counts() {
            return new Counts(handshakes.sum(), tellsResumption ? resumed.sum() : -1, failed.sum());
        }
    }

    /**
     * OpenSSL's engine says; the JDK's keeps the resumed session, whose creation time is then
     * before this connection's start (a session made in the same millisecond counts as new).
     */
    private static boolean reused(SSLEngine engine, long started) {
        try {
            if (engine instanceof ReferenceCountedOpenSslEngine) {
                return SESSION_REUSED != null && (Boolean) SESSION_REUSED.invoke(engine);
            }
            return engine.getSession().getCreationTime() < started;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static Method sessionReused() {
        try {
            Method m = ReferenceCountedOpenSslEngine.class.getDeclaredMethod("isSessionReused");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Bench.note("TLS: cannot tell resumed sessions (" + e + ")");
            return null;
        }
    }
}
