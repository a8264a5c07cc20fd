package org.realplexor.net.h2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.realplexor.config.Settings;
import org.realplexor.net.TimerWheel;

/**
 * HTTP/2 on the WAIT line's TLS addresses. After a handshake that chose {@code h2}, the
 * connection gets Netty's frame codec and multiplexer, and every stream a child channel whose
 * pipeline is {@link StreamAdapter} and then the line's own WAIT handler, unchanged: so a stream
 * gets exactly the answers a poll on its own connection gets.
 *
 * <p>Limits, so that one client cannot hold the server's memory: H2_MAX_CONCURRENT_STREAMS
 * streams per connection (SETTINGS_MAX_CONCURRENT_STREAMS; more are refused with
 * REFUSED_STREAM), a header list of at most {@link #MAX_HEADER_LIST} bytes, a request body kept
 * up to WAIT_MAXLEN + 1 bytes, and Netty's rapid-reset guard (CVE-2023-44487): more than
 * {@link #MAX_RESETS} RST_STREAM frames from the client in {@link #RESET_WINDOW_SECONDS} s end
 * the connection with GOAWAY ENHANCE_YOUR_CALM. The connection itself is admitted once, as an
 * HTTP/1.1 connection is (MAX_CONNECTIONS, WAIT_MAX_CONN_PER_IP, the open-files share).
 * SETTINGS_ENABLE_CONNECT_PROTOCOL is not sent: WebSocket stays on HTTP/1.1.
 */
public final class H2Line {
    /** Cookies and all, a browser's poll sends one or two KB of fields; twice Netty's default. */
    static final long MAX_HEADER_LIST = 16 * 1024;
    /** Netty's own defaults for a server, named here so that the guard is seen to be on. */
    static final int MAX_RESETS = 200;

    static final int RESET_WINDOW_SECONDS = 30;

    /** Counts a new connection in, as the WAIT line counts an HTTP/1.1 connection. */
    @FunctionalInterface
    public interface Admission {
        Admitted admit(Channel connection);
    }

    /**
     * @param refused why the connection may not stay (its streams get a 503 saying so), or null
     * @param release counts an admitted connection out when it ends; null if refused
     */
    public record Admitted(String refused, Runnable release) {}

    private final Supplier<Settings> settings;
    private final Supplier<ChannelHandler> waitHandlers;
    private final Admission admission;
    /** The server's, for each connection's idle deadline. */
    private final TimerWheel timers;

    private final ChannelGroup connections = new DefaultChannelGroup("wait-h2", GlobalEventExecutor.INSTANCE);

    /**
     * @param settings     the settings in force (new connections read them)
     * @param waitHandlers a new WAIT handler, as an HTTP/1.1 connection gets one
     */
    public H2Line(
            Supplier<Settings> settings,
            Supplier<ChannelHandler> waitHandlers,
            Admission admission,
            TimerWheel timers) {
        this.timers = timers;
        this.settings = settings;
        this.waitHandlers = waitHandlers;
        this.admission = admission;
    }

    /** The handler that goes after TLS on a new WAIT_TLS_ADDR connection: it picks HTTP/1.1 or HTTP/2 by ALPN. */
    public ChannelHandler negotiation() {
        return new Negotiation(waitHandlers, this::toH2);
    }

    /** Makes {@code ch} (its handshake done, h2 chosen) an HTTP/2 connection; the handlers go after {@code after}. */
    void toH2(Channel ch, String after) {
        Settings s = settings.get();
        Admitted admitted = admission.admit(ch);
        String refused = admitted.refused();
        Runnable release = admitted.release();
        long idle = s.headTimeoutMs() > 0 ? Math.min(s.headTimeoutMs(), s.waitTimeoutMs()) : s.waitTimeoutMs();
        H2Connection connection = new H2Connection(release, refused, idle, timers);
        int maxBody = s.waitMaxlen() + 1;
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(s.h2MaxConcurrentStreams())
                        .maxHeaderListSize(MAX_HEADER_LIST))
                .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS, RESET_WINDOW_SECONDS)
                .build();
        // Netty applies the SETTINGS it sends only once the client acknowledges them; a client that
        // never does would have no stream limit. So the limit holds from the first frame (streams past
        // it get REFUSED_STREAM, which a client may safely retry).
        codec.connection().remote().maxActiveStreams(s.h2MaxConcurrentStreams());
        Function<Http2StreamChannel, ChannelHandler> inner =
                refused == null ? c -> waitHandlers.get() : c -> new Refusal(refused);
        ChannelInitializer<Http2StreamChannel> streams = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel c) {
                c.pipeline().addLast(new StreamAdapter(connection, maxBody), inner.apply(c));
            }
        };
        ch.pipeline().addAfter(after, null, codec);
        ch.pipeline().addAfter(ch.pipeline().context(codec).name(), null, new Http2MultiplexHandler(streams));
        ch.pipeline().addLast(connection);
        connections.add(ch);
    }

    /**
     * The server stops: every HTTP/2 connection sends GOAWAY (no new streams) and closes once
     * its streams have ended, as the drain ends them.
     */
    public void goAway() {
        connections.close();
    }
}
