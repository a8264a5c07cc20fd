package org.realplexor.net;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accept failures (such as running out of file descriptors): logged at most once a second,
 * then this listening socket stops accepting for a second and tries again, so the server
 * keeps serving the connections it has instead of dying. Netty's own acceptor would pause
 * too, but then passes the error on to the end of the pipeline, which logs each one with
 * its stack trace; here it ends.
 */
final class AcceptFailures extends ChannelInboundHandlerAdapter {
    /** Logged as the listeners' own lines. */
    private static final Logger log = LoggerFactory.getLogger(ServerSockets.class);

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
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), 1, TimeUnit.SECONDS);
        }
    }
}
