package org.realplexor.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
 * refuses a poll beyond its share with a short 503; and, when WAIT_MAX_CONN_PER_IP is set, a
 * poll beyond one address's share too. Shared by every event loop and kept across reloads.
 */
final class WaitAdmission {
    private static final Logger log = LoggerFactory.getLogger(WaitAdmission.class);

    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
    private final ChannelFutureListener closed = f -> open.decrementAndGet();
    private volatile int cap = Integer.MAX_VALUE;
    private volatile long lastLog;

    /**
     * Sets the WAIT line's share from the process's open-files limit, once the listening sockets
     * are open: what is free now, less a reserve for IN and admin connections (a fiftieth of the
     * limit, at least 100 and at most 10,000). Logs the limit and what it allows.
     */
    void sizeFromOpenFilesLimit() {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os)) {
            return;
        }
        long max = os.getMaxFileDescriptorCount();
        long used = os.getOpenFileDescriptorCount();
        long reserve = Math.min(10_000, Math.max(100, max / 50));
        long share = Math.max(1, max - used - reserve);
        cap = (int) Math.min(Integer.MAX_VALUE, share);
        if (max < 10_000) {
            log.warn("open files limit {}: at most {} WAIT connections ({} kept for IN and admin); raise it"
                    + " (ulimit -n, systemd LimitNOFILE=) to hold more", max, cap, reserve);
        } else {
            log.info("open files limit {}: at most {} WAIT connections ({} kept for IN and admin)", max, cap, reserve);
        }
    }

    /**
     * Counts a new WAIT connection in, or says why it may not stay (it is then not counted).
     *
     * @param perAddress WAIT_MAX_CONN_PER_IP; 0 for no cap
     */
    String admit(Channel ch, int perAddress) {
        if (open.incrementAndGet() > cap) {
            open.decrementAndGet();
            refusedLog("the WAIT line holds its share of the open files limit");
            return "the server holds as many connections as it can; try again shortly";
        }
        ch.closeFuture().addListener(closed);
        if (perAddress > 0 && ch.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            InetAddress a = remote.getAddress();
            if (byAddress.merge(a, 1, Integer::sum) > perAddress) {
                release(a);
                refusedLog("an address holds WAIT_MAX_CONN_PER_IP (" + perAddress + ") connections");
                return "this address holds as many connections as it may (WAIT_MAX_CONN_PER_IP); try again shortly";
            }
            ch.closeFuture().addListener(f -> release(a));
        }
        return null;
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

    int open() {
        return open.get();
    }
}
