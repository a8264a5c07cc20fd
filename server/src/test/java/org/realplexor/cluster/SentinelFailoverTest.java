package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * REDIS_MODE=sentinel: one master, one replica, three sentinels, three nodes, listeners spread
 * over the nodes and publishes flowing. The replica is frozen for a moment (its acknowledgements
 * stop: those publishes are answered 503), then the master is SIGKILLed and the replica thawed.
 * Every publish answered 200 (each waited for the replica's acknowledgement) is in the new
 * master's queue and reaches every listener exactly once; publishes during the gap are
 * answered 503; the new master has no replica, so publishes then go on counted as unreplicated.
 */
class SentinelFailoverTest {
    private static final String ID = "fo";
    private static final int LISTENERS_PER_NODE = 5;

    @Test
    void everyPublishAnswered200SurvivesTheMastersDeathAndReachesEveryListenerOnce() throws Exception {
        try (RedisServer master = RedisServer.start();
                RedisServer replica =
                        RedisServer.start(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
                RedisServer s1 = RedisServer.sentinel(master, "mymaster");
                RedisServer s2 = RedisServer.sentinel(master, "mymaster");
                RedisServer s3 = RedisServer.sentinel(master, "mymaster")) {
            Await.until(
                    "the replica in sync",
                    Duration.ofSeconds(15),
                    () -> replica.call("INFO", "replication").contains("master_link_status:up"));
            for (RedisServer s : List.of(s1, s2, s3)) {
                Await.until("each sentinel to know the replica and the other two", Duration.ofSeconds(20), () -> {
                    Map<String, String> m = pairs(s.call("SENTINEL", "MASTER", "mymaster"));
                    return "1".equals(m.get("num-slaves")) && "2".equals(m.get("num-other-sentinels"));
                });
            }
            Map<String, Object> knobs = new LinkedHashMap<>();
            knobs.put("ENGINE", "redis");
            knobs.put("REDIS_MODE", "sentinel");
            knobs.put("REDIS_URL", s1.url() + "," + s2.url() + "," + s3.url());
            knobs.put("REDIS_MASTER_NAME", "mymaster");
            knobs.put("REDIS_PREFIX", "sentinel:");
            knobs.put("WAIT_TIMEOUT", "30");
            knobs.put("MAX_DATA_FOR_ID", "2000");
            List<Node> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) nodes.add(Node.start(knobs));
                run(master, replica, nodes);
            } finally {
                for (Node n : nodes) n.close();
            }
        }
    }

    private void run(RedisServer master, RedisServer replica, List<Node> nodes) throws Exception {
        List<Integer> waitPorts = nodes.stream().map(Node::waitPort).toList();
        try (ListenerFleet fleet = new ListenerFleet(waitPorts, n -> {})) {
            for (int i = 0; i < 3 * LISTENERS_PER_NODE; i++) fleet.add(ID, "", i % 3);
            Await.until(
                    "every listener registered",
                    Duration.ofSeconds(10),
                    () -> Wire.command(nodes.get(0).inPort(), "ONLINE " + ID)
                            .contains(ID + " " + 3 * LISTENERS_PER_NODE));

            Map<Integer, Integer> status = new ConcurrentHashMap<>();
            Map<Integer, String> refusals = new ConcurrentHashMap<>();
            List<Long> answeredAt = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = new Thread(
                    () -> {
                        for (int n = 0; !stop.get(); n++) {
                            Wire.Reply r = Wire.in(nodes.get(n % 3).inPort(), ID, "{\"n\":" + n + "}");
                            status.put(n, r.status());
                            if (r.status() != 200) refusals.put(n, r.body());
                            synchronized (answeredAt) {
                                answeredAt.add(System.nanoTime());
                            }
                            try {
                                Thread.sleep(10);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "publisher");
            publisher.start();
            Thread.sleep(1500);
            // the replica stops acknowledging: a publish now is stored on the master alone
            replica.freeze();
            Thread.sleep(700);
            int beforeKill = status.size();
            long killedAt = System.nanoTime();
            master.kill();
            replica.resume();
            // publish on until 2 s of 200s after the failover (or give up after 30 s)
            long deadline = killedAt + Duration.ofSeconds(30).toNanos();
            Long backAt = null;
            while (System.nanoTime() < deadline) {
                Thread.sleep(50);
                if (backAt == null) backAt = firstOkAfter(status, beforeKill);
                if (backAt != null && status.size() - backAt > 150) break;
            }
            stop.set(true);
            publisher.join(15_000);
            assertTrue(backAt != null, "publishes were answered 200 again after the failover: " + counts(status));

            BitSet ok = new BitSet();
            int refused = 0;
            for (Map.Entry<Integer, Integer> e : status.entrySet()) {
                if (e.getValue() == 200) ok.set(e.getKey());
                else if (e.getValue() == 503) {
                    refused++;
                } else fail("publish " + e.getKey() + " answered " + e.getValue());
            }
            assertTrue(refused > 0, "publishes during the gap were answered 503");
            assertTrue(
                    refusals.values().stream().anyMatch(b -> b.contains("replica(s) acknowledged it within")),
                    "a publish the frozen replica did not acknowledge was answered 503 saying so: " + refusals);
            Await.until("every listener has every publish answered 200", Duration.ofSeconds(20), () -> {
                for (ListenerFleet.One l : fleet.listeners()) {
                    BitSet missing = (BitSet) ok.clone();
                    missing.andNot(l.numbers());
                    if (!missing.isEmpty()) return false;
                }
                return true;
            });
            assertEquals(0, fleet.repeats(), "no listener got a message twice");
            try (Wire.Poll whole = Wire.poll(nodes.get(1).waitPort(), "0:" + ID)) {
                BitSet stored = new BitSet();
                for (String d : CrossNodeDeliveryTest.data(whole.parts(Duration.ofSeconds(10)))) {
                    stored.set(Integer.parseInt(d.replaceAll("\\D", "")));
                }
                BitSet lost = (BitSet) ok.clone();
                lost.andNot(stored);
                assertTrue(lost.isEmpty(), "publishes answered 200 missing from the new master's queue: " + lost);
            }
            long unreplicated = 0;
            for (Node n : nodes) unreplicated += n.engine.metrics().redisUnreplicated();
            assertTrue(unreplicated > 0, "publishes after the failover (no replica left) were counted as unreplicated");
            double gap;
            synchronized (answeredAt) {
                gap = (answeredAt.get(backAt.intValue()) - killedAt) / 1e9;
            }
            long unacknowledged = refusals.values().stream()
                    .filter(b -> b.contains("acknowledged it within"))
                    .count();
            System.out.printf(
                    "sentinel failover: %d publishes, %d answered 200, %d answered 503 (%d for want of the"
                            + " frozen replica's acknowledgement), %.2f s from SIGKILL to the first 200, %d listeners,"
                            + " %d deliveries, %d repeats, %d unreplicated%n",
                    status.size(),
                    ok.cardinality(),
                    refused,
                    unacknowledged,
                    gap,
                    fleet.listeners().size(),
                    fleet.deliveries(),
                    fleet.repeats(),
                    unreplicated);
        }
    }

    /** The number of the first publish after {@code from} answered 200, or null. */
    private static Long firstOkAfter(Map<Integer, Integer> status, int from) {
        boolean refusedSince = false;
        for (int n = from; status.containsKey(n); n++) {
            if (status.get(n) != 200) refusedSince = true;
            else if (refusedSince) return (long) n;
        }
        return null;
    }

    private static String counts(Map<Integer, Integer> status) {
        Map<Integer, Integer> c = new LinkedHashMap<>();
        for (int s : status.values()) c.merge(s, 1, Integer::sum);
        return c.toString();
    }

    /** A flattened reply of alternating names and values. */
    private static Map<String, String> pairs(String flat) {
        String[] f = flat.split("\n");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < f.length; i += 2) m.put(f[i], f[i + 1]);
        return m;
    }
}
