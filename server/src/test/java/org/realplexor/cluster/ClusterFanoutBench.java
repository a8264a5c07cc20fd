package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (the name keeps it out of the suite): fan-out of one id to 1,000
 * long-poll listeners, a single node (ENGINE=local) against two nodes sharing a Redis, each node
 * in its own JVM so its CPU can be read from /proc. Queues hold every message (MAX_DATA_FOR_ID)
 * so a listener that lags in the burst loses nothing to rotation. Run it with
 * {@code mvn test -Dtest=ClusterFanoutBench}; the figures are printed.
 */
class ClusterFanoutBench {
    private static final int LISTENERS = 1000;
    private static final int PACED = 200;
    private static final int BURST = 500;
    private static final int WARMUP = 50;

    @Test
    void singleNodeAgainstTwoNodesOnRedis() throws Exception {
        try (NodeProcess single = NodeProcess.start(Map.of("ENGINE", "local", "USERS_FILE", "",
                "WAIT_TIMEOUT", "60", "MAX_DATA_FOR_ID", "1000"))) {
            run("single node (local engine)", List.of(single), () -> 0);
        }
        try (RedisServer redis = RedisServer.start()) {
            Map<String, Object> knobs = new LinkedHashMap<>();
            knobs.put("ENGINE", "redis");
            knobs.put("REDIS_URL", redis.url());
            knobs.put("USERS_FILE", "");
            knobs.put("WAIT_TIMEOUT", "60");
            knobs.put("MAX_DATA_FOR_ID", "1000");
            try (NodeProcess a = NodeProcess.start(knobs); NodeProcess b = NodeProcess.start(knobs)) {
                run("two nodes + Redis", List.of(a, b), redis::cpuMillis);
            }
        }
    }

    private static void run(String name, List<NodeProcess> nodes, LongSupplier redisCpu) throws Exception {
        int total = WARMUP + PACED + BURST;
        long[] sentAt = new long[total];
        long[] latency = new long[total * LISTENERS];
        AtomicInteger got = new AtomicInteger();
        List<Integer> ports = new ArrayList<>();
        for (NodeProcess n : nodes) ports.add(n.waitPort);
        try (ListenerFleet fleet = new ListenerFleet(ports, n -> latency[got.getAndIncrement()] = System.nanoTime() - sentAt[(int) n])) {
            for (int i = 0; i < LISTENERS; i++) fleet.add("fan", "", i);
            Await.equal("all listeners online", "fan " + LISTENERS + "\n", Duration.ofSeconds(30),
                    () -> Wire.command(nodes.get(0).inPort, "ONLINE"));

            paced(nodes, sentAt, 0, WARMUP, fleet);

            long cpu0 = cpu(nodes) + redisCpu.getAsLong();
            long redis0 = redisCpu.getAsLong();
            int from = got.get();
            paced(nodes, sentAt, WARMUP, WARMUP + PACED, fleet);
            long cpu1 = cpu(nodes) + redisCpu.getAsLong();
            long[] lat = Arrays.copyOfRange(latency, from, got.get());
            Arrays.sort(lat);

            long t0 = System.nanoTime();
            burst(nodes, sentAt, WARMUP + PACED, total);
            long want = (long) total * LISTENERS;
            Await.until("burst delivered", Duration.ofSeconds(120), () -> fleet.deliveries() >= want);
            long t1 = System.nanoTime();
            long cpu2 = cpu(nodes) + redisCpu.getAsLong();
            long redisShare = redisCpu.getAsLong() - redis0;
            assertEquals(0, fleet.repeats());

            System.out.printf("%s: paced %d msgs x %d listeners: p50 %.1f ms, p99 %.1f ms, max %.1f ms, server CPU %.1f us/delivery;"
                            + " burst %d msgs: %.0f deliveries/s, server CPU %.1f us/delivery (Redis: %d ms of %d ms in both phases)%n",
                    name, PACED, LISTENERS, lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6,
                    lat[lat.length - 1] / 1e6, (cpu1 - cpu0) * 1000.0 / lat.length,
                    BURST, (double) BURST * LISTENERS / ((t1 - t0) / 1e9),
                    (cpu2 - cpu1) * 1000.0 / ((long) BURST * LISTENERS), redisShare, cpu2 - cpu0);
        }
    }

    /** One message every 100 ms, round-robin over the nodes; waits until all were delivered. */
    private static void paced(List<NodeProcess> nodes, long[] sentAt, int from, int to, ListenerFleet fleet) throws Exception {
        for (int i = from; i < to; i++) {
            sentAt[i] = System.nanoTime();
            Wire.publish(nodes.get(i % nodes.size()).inPort, "fan", "{\"n\":" + i + "}");
            Thread.sleep(100);
        }
        long want = (long) to * LISTENERS;
        Await.until("paced messages delivered", Duration.ofSeconds(60), () -> fleet.deliveries() >= want);
    }

    private static void burst(List<NodeProcess> nodes, long[] sentAt, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = from + t;
                runs.add(pool.submit(() -> {
                    for (int i = first; i < to; i += 4) {
                        sentAt[i] = System.nanoTime();
                        Wire.publish(nodes.get(i % nodes.size()).inPort, "fan", "{\"n\":" + i + "}");
                    }
                }));
            }
            for (Future<?> r : runs) r.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static long cpu(List<NodeProcess> nodes) {
        long sum = 0;
        for (NodeProcess n : nodes) sum += n.cpuMillis();
        return sum;
    }
}
