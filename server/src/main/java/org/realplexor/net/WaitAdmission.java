package org.realplexor.net;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which new WAIT connections may stay. Held polls take one file descriptor each; left alone,
 * they take the last one and then nothing is accepted any more, publishes on the IN line and
 * the admin line included. So the WAIT line keeps a reserve of descriptors free for those and
 * refuses a poll beyond its share with a short 503; and, when MAX_CONNECTIONS or
 * WAIT_MAX_CONN_PER_IP is set, a poll beyond the line's or one address's share too. Held
 * connections are never touched. Shared by every event loop and kept across reloads; it also
 * keeps the line's counters (see {@link LoopCounters}) for the metrics.
 */
public final class WaitAdmission {
    /** Slots of {@link #counters()}. */
    public static final int ACCEPTED = 0;

    public static final int REFUSED_FILES = 1;
    public static final int REFUSED_PER_IP = 2;
    public static final int REFUSED_MAX = 3;
    public static final int LONG_POLLS = 4;
    public static final int EVENT_SOURCES = 5;
    public static final int WEB_SOCKETS = 6;

    private static final Logger log = LoggerFactory.getLogger(WaitAdmission.class);

    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
    private volatile int cap = Integer.MAX_VALUE;
    private volatile long lastLog;
    private final LoopCounters counters = new LoopCounters(7);

    /**
     * Sets the WAIT line's share from the process's open-files limit, once the listening sockets
     * are open: what is free now, less a reserve for IN and admin connections (a fiftieth of the
     * limit, at least 100 and at most 10,000). Logs the limit and what it allows.
     */
    void sizeFromOpenFilesLimit() {
        if (!(ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean os)) {
            return;
        }
        long max = os.getMaxFileDescriptorCount();
        long used = os.getOpenFileDescriptorCount();
        long reserve = Math.min(10_000, Math.max(100, max / 50));
        long share = Math.max(1, max - used - reserve);
        cap = (int) Math.min(Integer.MAX_VALUE, share);
        if (max < 10_000) {
            log.warn(
                    "open files limit {}: at most {} WAIT connections ({} kept for IN and admin); raise it"
                            + " (ulimit -n, systemd LimitNOFILE=) to hold more",
                    max,
                    cap,
                    reserve);
        } else {
            log.info("open files limit {}: at most {} WAIT connections ({} kept for IN and admin)", max, cap, reserve);
        }
    }

    /**
     * Counts a new WAIT connection in, or says why it may not stay (it is then not counted as
     * open, but as refused). Runs on the connection's event loop.
     *
     * @param perAddress WAIT_MAX_CONN_PER_IP; 0 for no cap
     * @param max        MAX_CONNECTIONS; 0 for no cap
     */
    String admit(Channel ch, int perAddress, int max) {
        // An HTTP/2 stream: its connection was admitted once (net/h2), and H2_MAX_CONCURRENT_STREAMS bounds its
        // streams.
        if (ch instanceof Http2StreamChannel) return null;
        long[] count = counters.here();
        int now = open.incrementAndGet();
        if (max > 0 && now > max) {
            open.decrementAndGet();
            count[REFUSED_MAX]++;
            refusedLog("the WAIT line holds MAX_CONNECTIONS (" + max + ") connections");
            return "the server holds as many connections as it may (MAX_CONNECTIONS); try again shortly";
        }
        if (now > cap) {
            open.decrementAndGet();
            count[REFUSED_FILES]++;
            refusedLog("the WAIT line holds its share of the open files limit");
            return "the server holds as many connections as it can; try again shortly";
        }
        InetAddress a = perAddress > 0 ? address(ch) : null;
        if (a != null && byAddress.merge(a, 1, Integer::sum) > perAddress) {
            release(a);
            open.decrementAndGet();
            count[REFUSED_PER_IP]++;
            refusedLog("an address holds WAIT_MAX_CONN_PER_IP (" + perAddress + ") connections");
            return "this address holds as many connections as it may (WAIT_MAX_CONN_PER_IP); try again shortly";
        }
        count[ACCEPTED]++;
        return null;
    }

    /**
     * An admitted connection closed (from its handler's channelInactive: a close listener per
     * connection would cost every held poll a listener list).
     *
     * @param addressCounted whether {@link #admit} counted it for its address (WAIT_MAX_CONN_PER_IP was set)
     */
    void closed(Channel ch, boolean addressCounted) {
        if (ch instanceof Http2StreamChannel) return;
        open.decrementAndGet();
        InetAddress a = addressCounted ? address(ch) : null;
        if (a != null) release(a);
    }

    private static InetAddress address(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
    }

    /** A listener of this kind is held (+1) or let go (-1); on the connection's event loop. */
    void held(Object listener, int delta) {
        int slot = listener instanceof SseStream
                ? EVENT_SOURCES
                : listener instanceof WebSocketStream ? WEB_SOCKETS : LONG_POLLS;
        counters.here()[slot] += delta;
    }

    /** The line's counters by the slots above (read racily, for the metrics). */
    public LoopCounters counters() {
        return counters;
    }

    private void release(InetAddress a) {
        byAddress.computeIfPresent(a, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** At most one line a second: a flood of refusals must not flood the log. */
    private void refusedLog(String why) {
        long now = System.currentTimeMillis();
        if (now - lastLog < 1000) return;
        lastLog = now;
        log.warn("refusing new WAIT connections (503): {}", why);
    }

    /** WAIT connections open now (admitted, not yet closed). */
    public int open() {
        return open.get();
    }

    /** The WAIT line's share of the open files limit. */
    public int cap() {
        return cap;
    }
}
