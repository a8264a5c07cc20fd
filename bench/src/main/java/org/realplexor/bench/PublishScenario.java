package org.realplexor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (c) IN throughput: N publishes, each on a connection of its own, C of them in flight, spread
 * over a set of ids (publish k goes to id k mod IDS). Against a cluster publish k goes to node
 * k mod N, and the line adds the Redis processes' CPU per publish, each on its own (a Redis
 * Cluster's shards, a master and its replica) and together. With listeners, listener i polls id
 * i mod IDS and reconnects with its cursor after every answer, as a page of a site where every
 * user has a channel of their own; every publish then also costs its deliveries.
 */
final class PublishScenario implements WaitClient.Events {
    private static final int IN_FLIGHT = 256;
    private static final double DRAIN_TIMEOUT_S = 30;

    private final Scenario sc;
    private final int listenerCount;
    private final int publishes;
    private final int warmup;
    private final int ids;
    private final int concurrency;
    private final List<WaitClient> listeners = new ArrayList<>();
    private final Semaphore connectPermits = new Semaphore(IN_FLIGHT);
    private final CountDownLatch allRegistered;
    private final Latencies roundTrips = new Latencies();
    private final Latencies deliveryLatencies = new Latencies();
    private final AtomicLong uniqueDeliveries = new AtomicLong();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger publishErrors = new AtomicInteger();
    private final Scenario.FirstError firstError = new Scenario.FirstError();

    PublishScenario(Scenario sc, int listeners, int warmup, int publishes, int ids, int concurrency) {
        this.sc = sc;
        this.listenerCount = listeners;
        this.publishes = publishes;
        this.warmup = Math.max(1, warmup);
        this.ids = ids;
        this.concurrency = concurrency;
        this.allRegistered = new CountDownLatch(listeners);
    }

    private String id(long k) {
        return "pub_" + sc.tag() + "_" + (k % ids);
    }

    Scenario.Result run() throws InterruptedException {
        for (int i = 0; i < listenerCount; i++) {
            listeners.add(new WaitClient(
                    i, id(i), Transport.LONGPOLL, sc.net(), sc.servers().waitFor(i), this));
        }
        for (WaitClient l : listeners) {
            if (!connectPermits.tryAcquire(sc.deadline().remainingNanos(), TimeUnit.NANOSECONDS)) {
                break;
            }
            l.start();
        }
        boolean up = sc.deadline().await(allRegistered);
        List<InClient> in = new ArrayList<>();
        for (int n = 0; n < sc.servers().nodeCount(); n++) {
            in.add(new InClient(sc.net(), sc.servers().inFor(n)));
        }
        boolean cluster = sc.servers().cluster();
        Semaphore inFlight = new Semaphore(concurrency);
        int total = warmup + publishes;

        ProcStats.Sample before = null;
        java.util.Map<String, Double> redisBefore = java.util.Map.of();
        double benchBefore = Double.NaN;
        ClientTls.Counts tlsBefore = null;
        long t0 = 0;
        long t1 = 0;
        int sent = 0;
        boolean inTime = up;
        for (int k = 0; k < total && inTime; k++) {
            if (k == warmup) {
                // Measure from a quiet server: the warm-up publishes are all answered.
                inTime = inFlight.tryAcquire(concurrency, sc.deadline().remainingNanos(), TimeUnit.NANOSECONDS);
                inFlight.release(concurrency);
                before = sc.servers().sample();
                redisBefore = sc.servers().redisCpuByProcess();
                benchBefore = Scenario.benchCpu();
                tlsBefore = Scenario.inTls(sc.net());
                t0 = System.nanoTime();
            }
            if (!inFlight.tryAcquire(sc.deadline().remainingNanos(), TimeUnit.NANOSECONDS)) {
                inTime = false;
                break;
            }
            long start = System.nanoTime();
            boolean measured = k >= warmup;
            int seq = k;
            in.get(k % in.size()).send(id(k), Scenario.payload(k)).whenComplete((a, e) -> {
                if (e != null || a.status() != 200) {
                    publishErrors.incrementAndGet();
                    firstError.offer("publish " + seq + ": " + (e != null ? e.toString() : a.text()));
                } else if (measured) {
                    roundTrips.add(System.nanoTime() - start);
                }
                inFlight.release();
            });
            sent++;
        }
        if (inTime) {
            inTime = inFlight.tryAcquire(concurrency, sc.deadline().remainingNanos(), TimeUnit.NANOSECONDS);
        }
        t1 = System.nanoTime();
        ClientTls.Counts tlsAfter = Scenario.inTls(sc.net());
        long expected = expectedDeliveries(sent);
        if (inTime && listenerCount > 0) {
            inTime = sc.deadline().within(DRAIN_TIMEOUT_S).awaitCondition(() -> uniqueDeliveries.get() >= expected);
        }
        ProcStats.Sample after = sc.servers().sample();
        java.util.Map<String, Double> redisAfter = sc.servers().redisCpuByProcess();
        double benchCpu = Scenario.benchCpu() - benchBefore;

        for (WaitClient l : listeners) {
            l.stop();
        }
        sc.net().drain(Deadline.in(10));
        long lost = 0;
        long dup = 0;
        for (WaitClient l : listeners) {
            for (int k = l.index % ids; k < sent; k += ids) {
                if (!l.saw(k)) {
                    lost++;
                }
            }
            dup += l.duplicates();
        }

        int measuredPublishes = Math.max(0, sent - warmup);
        double cpu = Scenario.cpu(before, after);
        Latencies.Summary rt = roundTrips.summary();
        Latencies.Summary dl = deliveryLatencies.summary();
        Line line = new Line(cluster ? "cluster_publish" : "publish");
        if (cluster) {
            line.put("redis_mode", sc.servers().redisMode())
                    .put("nodes", sc.servers().nodeCount());
        }
        Scenario.tlsFields(line, tlsBefore, tlsAfter);
        line.put("listeners", listenerCount)
                .put("ids", ids)
                .put("publishes", measuredPublishes)
                .put("warmup", warmup)
                .put("concurrency", concurrency)
                .num("publishes_per_s", measuredPublishes / ((t1 - t0) / 1e9), 0)
                .num("cpu_s", cpu, 2)
                .num("cpu_sys_share", Scenario.sysShare(before, after), 2)
                .num("jit_cpu_s", Scenario.jitCpu(before, after), 2)
                .num("cpu_us_per_publish", cpu * 1e6 / measuredPublishes, 1)
                .ms("p50_ms", rt.percentile(50))
                .ms("p99_ms", rt.percentile(99))
                .ms("max_ms", rt.max());
        if (cluster) {
            redisFields(line, redisBefore, redisAfter, measuredPublishes);
        }
        if (listenerCount > 0) {
            line.put("deliveries", uniqueDeliveries.get())
                    .ms("delivery_p99_ms", dl.percentile(99))
                    .put("lost", lost)
                    .put("dup", dup)
                    .put("errors", errors.get());
        }
        line.mb("rss_total", Scenario.rss(after))
                .num("bench_cpu_s", benchCpu, 2)
                .put("publish_errors", publishErrors.get());
        boolean ok = up && inTime && lost == 0 && dup == 0 && errors.get() == 0 && publishErrors.get() == 0;
        line.put("status", ok ? "ok" : (up && inTime) ? "error" : "timeout");
        if (firstError.get() != null) {
            Bench.note("publish first error: " + firstError.get());
        }
        return new Scenario.Result(line, ok);
    }

    /**
     * Redis CPU microseconds per publish: every process on its own ({@code redis_us_per_publish=
     * shard1:9.1,shard2:8.7,...}), the data-bearing ones together, and the busiest data-bearing
     * one (the figure that caps the publish rate when each process has a core of its own).
     */
    private static void redisFields(
            Line line, java.util.Map<String, Double> before, java.util.Map<String, Double> after, int publishes) {
        StringBuilder each = new StringBuilder();
        double data = 0;
        double busiest = 0;
        for (var e : after.entrySet()) {
            double us = (e.getValue() - before.getOrDefault(e.getKey(), Double.NaN)) * 1e6 / publishes;
            if (each.length() > 0) {
                each.append(',');
            }
            each.append(e.getKey()).append(':').append(String.format(java.util.Locale.ROOT, "%.1f", us));
            if (!e.getKey().startsWith("sentinel")) {
                data += us;
                busiest = Math.max(busiest, us);
            }
        }
        line.num("redis_us_per_publish", data, 1)
                .num("busiest_redis_us_per_publish", busiest, 1)
                .put("redis_us_per_publish_each", each);
    }

    /** Every listener receives every publish to its id. */
    private long expectedDeliveries(int sent) {
        long n = 0;
        for (WaitClient l : listeners) {
            int first = l.index % ids;
            n += first < sent ? (sent - 1 - first) / ids + 1 : 0;
        }
        return n;
    }

    @Override
    public void registered(WaitClient l) {
        if (l.registrations() == 1) {
            connectPermits.release();
            allRegistered.countDown();
        }
    }

    @Override
    public void delivered(WaitClient l, long seq, long publishNanos, long receivedNanos, boolean duplicate) {
        if (!duplicate) {
            uniqueDeliveries.incrementAndGet();
            if (seq >= warmup) {
                deliveryLatencies.add(receivedNanos - publishNanos);
            }
        }
    }

    @Override
    public void failed(WaitClient l, String what) {
        errors.incrementAndGet();
        firstError.offer(what);
    }
}
