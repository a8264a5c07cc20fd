package org.realplexor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * (b) L listeners on one id, each reconnecting with its cursor after every answer; M messages
 * published over IN. Pacing: by default ("sync") message k+1 is published once every listener
 * has received message k and its next poll is registered again (its head arrived), so the
 * figures are those of a server that keeps up; with a rate, messages go out at that fixed rate
 * regardless, and listeners catch up through their cursors.
 *
 * <p>Against a cluster, listener i holds its polls on node i mod N and message k is published on
 * node k mod N, so every delivery on one node of a message published on another crosses Redis.
 *
 * <p>With a streaming transport (EventSource, WebSocket) each listener holds one connection for
 * the whole run; a listener is done with a round once it has the message.
 */
final class FanoutScenario implements WaitClient.Events {
    /** Connects in flight while the listeners first come up. */
    private static final int IN_FLIGHT = 256;

    private static final double ROUND_TIMEOUT_S = 30;
    private static final double DRAIN_TIMEOUT_S = 30;

    /** One paced message: how many listeners still have to report it. */
    private record Round(int seq, AtomicInteger pending, CountDownLatch done) {}

    private final Scenario sc;
    private final int listenerCount;
    private final int messages;
    private final int warmup;
    private final double rate;
    private final Transport transport;
    private final String id;
    private final List<WaitClient> listeners = new ArrayList<>();
    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    private final CountDownLatch allRegistered;
    private final Latencies latencies = new Latencies();
    private final AtomicLong measuredDeliveries = new AtomicLong();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final AtomicLong uniqueDeliveries = new AtomicLong();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger publishErrors = new AtomicInteger();
    private final Scenario.FirstError firstError = new Scenario.FirstError();
    private volatile Round round;
    /** One node's CPU-s per million deliveries in the same bench run (cluster only; else NaN). */
    private final double singleCpuPerMillion;

    FanoutScenario(Scenario sc, int listeners, int messages, int warmup, double rate, double singleCpuPerMillion) {
        this(sc, listeners, messages, warmup, rate, singleCpuPerMillion, Transport.LONGPOLL);
    }

    FanoutScenario(
            Scenario sc,
            int listeners,
            int messages,
            int warmup,
            double rate,
            double singleCpuPerMillion,
            Transport transport) {
        this.sc = sc;
        this.transport = transport;
        this.singleCpuPerMillion = singleCpuPerMillion;
        this.listenerCount = listeners;
        this.messages = messages;
        this.warmup = warmup;
        this.rate = rate;
        this.id = "fan_" + sc.tag();
        this.allRegistered = new CountDownLatch(listeners);
    }

    Scenario.Result run() throws InterruptedException {
        for (int i = 0; i < listenerCount; i++) {
            listeners.add(
                    new WaitClient(i, id, transport, sc.net(), sc.servers().waitFor(i), this));
        }
        for (WaitClient l : listeners) {
            if (!permits.tryAcquire(sc.deadline().remainingNanos(), TimeUnit.NANOSECONDS)) {
                break;
            }
            l.start();
        }
        boolean up = sc.deadline().await(allRegistered);
        int total = warmup + messages;
        List<InClient> in = new ArrayList<>();
        for (int n = 0; n < sc.servers().nodeCount(); n++) {
            in.add(new InClient(sc.net(), sc.servers().inFor(n)));
        }

        ProcStats.Sample before = null;
        ProcStats.Sample redisBefore = null;
        ClientTls.Counts tlsBefore = null;
        double benchBefore = Double.NaN;
        long t0 = 0;
        int published = 0;
        boolean inTime = up;
        if (up) {
            for (int k = 0; k < total && inTime; k++) {
                if (k == warmup) {
                    before = sc.servers().sample();
                    redisBefore = sc.servers().redisSample();
                    benchBefore = Scenario.benchCpu();
                    tlsBefore = Scenario.waitTls(sc.net());
                    t0 = System.nanoTime();
                }
                if (rate > 0) {
                    long due = t0 + (long) ((k - warmup) * 1e9 / rate);
                    if (k >= warmup) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                    publish(in, k);
                    published++;
                    if (k < warmup) {
                        // Warm-up messages are paced by completion so warm-up never piles up.
                        inTime = awaitAllSeen(k + 1, sc.deadline().within(ROUND_TIMEOUT_S));
                    }
                } else {
                    Round r = new Round(k, new AtomicInteger(listenerCount), new CountDownLatch(1));
                    round = r;
                    publish(in, k);
                    published++;
                    inTime = sc.deadline().within(ROUND_TIMEOUT_S).await(r.done());
                }
            }
            if (inTime && rate > 0) {
                inTime = awaitAllSeen(total, sc.deadline().within(DRAIN_TIMEOUT_S));
            }
        }
        long t1 = rate > 0 ? lastDeliveryNanos.get() : System.nanoTime();
        ProcStats.Sample after = sc.servers().sample();
        ProcStats.Sample redisAfter = sc.servers().redisSample();
        double benchCpu = Scenario.benchCpu() - benchBefore;
        ClientTls.Counts tlsAfter = Scenario.waitTls(sc.net());

        for (WaitClient l : listeners) {
            l.stop();
        }
        sc.net().drain(Deadline.in(10));
        long lost = 0;
        long dup = 0;
        for (WaitClient l : listeners) {
            for (int k = 0; k < published; k++) {
                if (!l.saw(k)) {
                    lost++;
                }
            }
            dup += l.duplicates();
        }

        Latencies.Summary lat = latencies.summary();
        long delivered = measuredDeliveries.get();
        double seconds = (t1 - t0) / 1e9;
        double cpu = Scenario.cpu(before, after);
        double perMillion = cpu / (delivered / 1e6);
        boolean cluster = sc.servers().cluster();
        Line line = new Line(cluster ? "cluster_fanout" : transport.streaming() ? "stream_fanout" : "fanout");
        if (cluster) {
            line.put("redis_mode", sc.servers().redisMode())
                    .put("nodes", sc.servers().nodeCount());
        }
        if (transport != Transport.LONGPOLL) {
            line.put("transport", transport.label());
        }
        Scenario.tlsFields(line, tlsBefore, tlsAfter);
        line.put("listeners", listenerCount)
                .put("messages", messages)
                .put("warmup", warmup)
                .put("pace", rate > 0 ? "rate" + rate : "sync")
                .put("deliveries", delivered)
                .num("deliveries_per_s", delivered / seconds, 0)
                .ms("p50_ms", lat.percentile(50))
                .ms("p99_ms", lat.percentile(99))
                .ms("max_ms", lat.max())
                .put("lost", lost)
                .put("dup", dup)
                .num("cpu_s", cpu, 2)
                .num("cpu_sys_share", Scenario.sysShare(before, after), 2)
                .num("jit_cpu_s", Scenario.jitCpu(before, after), 2)
                .num("cpu_s_per_M_deliveries", perMillion, 2);
        if (cluster) {
            double redisCpu = Scenario.cpu(redisBefore, redisAfter);
            line.num("redis_cpu_s", redisCpu, 2)
                    .num("cpu_s_per_M_with_redis", (cpu + redisCpu) / (delivered / 1e6), 2)
                    .num("x_single_node", perMillion / singleCpuPerMillion, 2);
        }
        line.mb("rss_total", Scenario.rss(after))
                .num("bench_cpu_s", benchCpu, 2)
                .put("errors", errors.get())
                .put("publish_errors", publishErrors.get());
        boolean ok = up && inTime && lost == 0 && dup == 0 && errors.get() == 0 && publishErrors.get() == 0;
        line.put("status", ok ? "ok" : (up && inTime) ? "error" : "timeout");
        if (firstError.get() != null) {
            Bench.note("fanout first error: " + firstError.get());
        }
        return new Scenario.Result(line, ok, perMillion);
    }

    private void publish(List<InClient> in, int seq) {
        in.get(seq % in.size()).send(id, Scenario.payload(seq)).whenComplete((a, e) -> {
            if (e != null || a.status() != 200) {
                publishErrors.incrementAndGet();
                firstError.offer("publish " + seq + ": " + (e != null ? e.toString() : a.text()));
            }
        });
    }

    /** Rate pacing: until every listener has seen {@code count} distinct messages. */
    private boolean awaitAllSeen(int count, Deadline d) throws InterruptedException {
        return d.awaitCondition(() -> uniqueDeliveries.get() >= (long) listenerCount * count);
    }

    @Override
    public void registered(WaitClient l) {
        if (l.registrations() == 1) {
            permits.release();
            allRegistered.countDown();
            return;
        }
        reportRound(l);
    }

    /** Sync pacing: {@code l} is done with the current round (it has the message, and is listening again). */
    private void reportRound(WaitClient l) {
        Round r = round;
        if (r != null && r.seq() > l.reportedRound && l.saw(r.seq())) {
            l.reportedRound = r.seq();
            if (r.pending().decrementAndGet() == 0) {
                r.done().countDown();
            }
        }
    }

    @Override
    public void delivered(WaitClient l, long seq, long publishNanos, long receivedNanos, boolean duplicate) {
        if (duplicate) {
            return;
        }
        uniqueDeliveries.incrementAndGet();
        if (seq >= warmup) {
            measuredDeliveries.incrementAndGet();
            latencies.add(receivedNanos - publishNanos);
            lastDeliveryNanos.accumulateAndGet(receivedNanos, Math::max);
        }
        if (l.transport.streaming()) {
            // A stream listens on: having the message is being ready for the next.
            reportRound(l);
        }
    }

    @Override
    public void failed(WaitClient l, String what) {
        errors.incrementAndGet();
        firstError.offer(what);
    }
}
