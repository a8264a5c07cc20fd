package org.realplexor.bench;

import java.util.concurrent.atomic.AtomicReference;

/** What every scenario runs against, and helpers they share. */
record Scenario(Servers servers, Loopback net, Deadline deadline, String tag) {
    /**
     * A scenario's line and whether it met its own correctness bar (no loss, no errors, in time);
     * fan-out also hands back its server CPU-seconds per million deliveries, for the cluster's
     * comparison with one node.
     */
    record Result(Line line, boolean ok, double cpuPerMillion) {
        Result(Line line, boolean ok) {
            this(line, ok, Double.NaN);
        }
    }

    /** The server of a single-server scenario (idle, publish): the first node. */
    ServerUnderTest server() {
        return servers.first();
    }

    /** Remembers the first failure message of a run for the notes; counts the rest. */
    static final class FirstError {
        private final AtomicReference<String> first = new AtomicReference<>();

        void offer(String what) {
            first.compareAndSet(null, what);
        }

        String get() {
            return first.get();
        }
    }

    /** Server CPU seconds between two samples, NaN when the server's pid is unknown. */
    static double cpu(ProcStats.Sample before, ProcStats.Sample after) {
        return before == null || after == null ? Double.NaN : after.cpuSeconds() - before.cpuSeconds();
    }

    /** CPU seconds of the server's JIT compiler threads between two samples (part of {@link #cpu}). */
    static double jitCpu(ProcStats.Sample before, ProcStats.Sample after) {
        return before == null || after == null ? Double.NaN : after.jitSeconds() - before.jitSeconds();
    }

    /** CPU seconds the bench itself has used so far: shows when the load generator, not the server, is the limit. */
    static double benchCpu() {
        try {
            return ProcStats.cpuSeconds(ProcessHandle.current().pid());
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
    }

    /** Share of the server's CPU time spent in the kernel (socket work) rather than in Java. */
    static double sysShare(ProcStats.Sample before, ProcStats.Sample after) {
        if (before == null || after == null) {
            return Double.NaN;
        }
        return (after.sysSeconds() - before.sysSeconds()) / (after.cpuSeconds() - before.cpuSeconds());
    }

    static double rss(ProcStats.Sample s) {
        return s == null ? Double.NaN : s.rssBytes();
    }

    /** The WAIT clients' TLS handshakes so far; null without --tls. */
    static ClientTls.Counts waitTls(Loopback net) {
        return net.tls() == null ? null : net.tls().waitCounts();
    }

    /** The IN clients' TLS handshakes so far; null without --tls. */
    static ClientTls.Counts inTls(Loopback net) {
        return net.tls() == null ? null : net.tls().inCounts();
    }

    /**
     * With --tls: {@code tls=on}, the handshakes between the two counts, the share of them that
     * resumed a session (n/a when the engine cannot tell) and failed handshakes. Nothing without.
     */
    static void tlsFields(Line line, ClientTls.Counts before, ClientTls.Counts after) {
        if (before == null || after == null) {
            return;
        }
        ClientTls.Counts d = after.minus(before);
        line.put("tls", "on")
                .put("tls_handshakes", d.handshakes())
                .num("tls_resumed_share", d.resumedShare(), 3)
                .put("tls_failed", d.failed());
    }

    /** Bytes of the bench's payload: {@code {"seq":N,"t":NANOTIME}}. */
    static byte[] payload(long seq) {
        return ("{\"seq\":" + seq + ",\"t\":" + System.nanoTime() + "}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
