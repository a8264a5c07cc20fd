package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 10,000 messages published over three nodes to 1,000 long-poll listeners that hop between the
 * nodes with their cursors, as browsers behind a balancer do: every listener gets every message
 * of its id exactly once.
 */
class BurstTest {
    private static final int IDS = 100;
    private static final int PER_ID = 10;
    private static final int MESSAGES = 10_000;

    private static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < IDS; i++) ids.add("b" + i);
        return ids;
    }

    @Test
    void tenThousandMessagesOverThreeNodesToAThousandListenersWithoutLossOrRepeat() throws Exception {
        try (RedisServer redis = RedisServer.start();
                Cluster cl = Cluster.start(redis, 3, "MAX_DATA_FOR_ID", "" + MESSAGES / IDS, "WAIT_TIMEOUT", "30")) {
            List<Integer> ports = new ArrayList<>();
            for (Node n : cl.nodes) ports.add(n.waitPort());
            try (ListenerFleet fleet = new ListenerFleet(ports, n -> {})) {
                for (int i = 0; i < IDS * PER_ID; i++) fleet.add("b" + i % IDS, "0", i);
                StringBuilder everyone = new StringBuilder();
                for (String id : new TreeSet<>(ids()))
                    everyone.append(id).append(' ').append(PER_ID).append('\n');
                Await.equal(
                        "all 1,000 listeners counted online",
                        everyone.toString(),
                        Duration.ofSeconds(20),
                        () -> Wire.command(cl.node(1).inPort(), "ONLINE b"));

                long redisCpu = redis.cpuMillis();
                long ownCpu = Cpu.millisOfThisProcess();
                long started = System.nanoTime();
                ExecutorService publishers = Executors.newFixedThreadPool(6);
                try {
                    List<Future<?>> runs = new ArrayList<>();
                    for (int t = 0; t < 6; t++) {
                        int thread = t;
                        runs.add(publishers.submit(() -> {
                            for (int i = thread; i < MESSAGES; i += 6) {
                                Wire.publish(cl.node(i % 3).inPort(), "b" + i % IDS, "{\"n\":" + i + "}");
                            }
                        }));
                    }
                    for (Future<?> r : runs) r.get();
                } finally {
                    publishers.shutdownNow();
                }
                long published = System.nanoTime();
                long expected = (long) MESSAGES * PER_ID;
                Await.until(
                        "all " + expected + " deliveries",
                        Duration.ofSeconds(60),
                        () -> fleet.deliveries() >= expected);
                long delivered = System.nanoTime();

                assertEquals(0, fleet.repeats(), "repeats");
                assertEquals(expected, fleet.deliveries());
                for (ListenerFleet.One l : fleet.listeners()) {
                    int ch = Integer.parseInt(l.id.substring(1));
                    BitSet want = new BitSet();
                    for (int i = ch; i < MESSAGES; i += IDS) want.set(i);
                    assertEquals(want, l.numbers(), "listener of " + l.id);
                }
                System.out.printf(
                        "burst: %d publishes in %d ms, all %d deliveries after %d ms, %d polls;"
                                + " CPU: redis %d ms, this process (3 nodes + clients) %d ms%n",
                        MESSAGES,
                        (published - started) / 1_000_000,
                        expected,
                        (delivered - started) / 1_000_000,
                        fleet.polls(),
                        redis.cpuMillis() - redisCpu,
                        Cpu.millisOfThisProcess() - ownCpu);
            }
        }
    }
}
