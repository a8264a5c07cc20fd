package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * REDIS_MODE=cluster on a real Redis Cluster (three masters, a replica each) with three nodes:
 * ids chosen so that one lands on each shard; a message to all three is one message (one
 * cursor, one delivery per listener), listeners resume on any node, presence and the event log
 * work across shards, and a shard whose master is SIGKILLed comes back through its replica
 * without losing a publish that was answered 200. The failover runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterShardingTest {
    private static final Duration ANSWER = Duration.ofSeconds(5);

    private static RedisCluster redis;
    private static Cluster cluster;
    /** One id per shard, shard order. */
    private static List<String> ids;

    @BeforeAll
    static void start() {
        redis = RedisCluster.start(3, true);
        cluster = Cluster.start(
                redis.masters().get(0),
                3,
                "REDIS_MODE",
                "cluster",
                "REDIS_URL",
                redis.url(),
                "MAX_DATA_FOR_ID",
                "1000",
                "WAIT_TIMEOUT",
                "30",
                "OFFLINE_TIMEOUT",
                "0.5",
                "REDIS_TIMEOUT",
                "2");
        ids = oneIdPerShard();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
        if (redis != null) redis.close();
    }

    /** Ids whose keys ({ID}) land on each master in turn, as CLUSTER KEYSLOT computes them. */
    private static List<String> oneIdPerShard() {
        List<RedisServer> masters = redis.masters();
        List<String> out = new ArrayList<>();
        for (RedisServer m : masters) {
            for (int i = 0; ; i++) {
                String id = "sh" + i;
                if (redis.masterOf(redis.slot("{" + id + "}")) == m && !out.contains(id)) {
                    out.add(id);
                    break;
                }
            }
        }
        assertEquals(3, Set.copyOf(out).size(), out.toString());
        return out;
    }

    private static String all(String prefix) {
        return String.join(",", ids.stream().map(id -> prefix + id).toList());
    }

    @Test
    @Order(1)
    void aMessageToIdsOnEveryShardIsOneMessageDeliveredOnce() {
        String listened = all("x");
        Map<String, String> sent;
        try (Wire.Poll p = Wire.poll(cluster.node(1).waitPort(), listened)) {
            sent = Wire.publish(cluster.node(0).inPort(), listened, "\"all\"");
            assertEquals(3, sent.size(), "one ID CURSOR line per id: " + sent);
            assertEquals(1, Set.copyOf(sent.values()).size(), "one generated cursor for the message: " + sent);
            List<Wire.Part> parts = p.parts(ANSWER);
            assertEquals(1, parts.size(), "delivered once: " + parts);
            assertEquals(new java.util.TreeMap<>(sent), parts.get(0).ids());
        }
        // a listener on a third node resuming from that cursor: the other shards' copies are no news
        StringBuilder resume = new StringBuilder();
        sent.forEach((id, c) -> resume.append(resume.length() == 0 ? "" : ",")
                .append(c)
                .append(':')
                .append(id));
        try (Wire.Poll p = Wire.poll(cluster.node(2).waitPort(), resume.toString())) {
            p.assertWaiting(Duration.ofMillis(700));
        }
    }

    @Test
    @Order(2)
    void aListenerResumesByCursorOnAnotherNodeOnEveryShard() {
        for (String id : ids) {
            String rid = "r" + id;
            String c1 = Wire.publish(cluster.node(0).inPort(), rid, "\"m1\"").get(rid);
            String c2 = Wire.publish(cluster.node(1).inPort(), rid, "\"m2\"").get(rid);
            String c3 = Wire.publish(cluster.node(2).inPort(), rid, "\"m3\"").get(rid);
            assertTrue(
                    new java.math.BigDecimal(c1).compareTo(new java.math.BigDecimal(c2)) < 0
                            && new java.math.BigDecimal(c2).compareTo(new java.math.BigDecimal(c3)) < 0,
                    c1 + " " + c2 + " " + c3);
            try (Wire.Poll p = Wire.poll(cluster.node(2).waitPort(), c1 + ":" + rid)) {
                List<Wire.Part> parts = p.parts(ANSWER);
                assertEquals(
                        List.of("\"m2\"", "\"m3\""),
                        parts.stream().map(Wire.Part::data).toList());
                assertEquals(
                        List.of(c2, c3),
                        parts.stream().map(x -> x.ids().get(rid)).toList());
            }
        }
    }

    @Test
    @Order(3)
    void onlineAndWatchSeeListenersOfEveryShardOnEveryNode() {
        String listened = all("o");
        try (Wire.Poll a = Wire.poll(cluster.node(0).waitPort(), listened);
                Wire.Poll b = Wire.poll(cluster.node(1).waitPort(), ids.get(0).replace("sh", "osh"))) {
            StringBuilder expected = new StringBuilder();
            for (String id : new TreeSet<>(ids))
                expected.append('o').append(id).append(id.equals(ids.get(0)) ? " 2\n" : " 1\n");
            for (Node n : cluster.nodes) {
                Await.equal(
                        "ONLINE on every node",
                        expected.toString(),
                        ANSWER,
                        () -> Wire.command(n.inPort(), "ONLINE o"));
            }
            String watch = Wire.command(cluster.node(2).inPort(), "WATCH 9 o");
            for (String id : ids) assertTrue(watch.contains("online ") && watch.contains(":o" + id + "\n"), watch);
        }
        Await.equal(
                "offline after OFFLINE_TIMEOUT",
                "",
                ANSWER,
                () -> Wire.command(cluster.node(1).inPort(), "ONLINE o"));
    }

    @Test
    @Order(4)
    void aShardsMasterKilledItsReplicaTakesOverAndNoAcknowledgedPublishIsLost() throws Exception {
        String victim = ids.get(1);
        RedisServer master = redis.masterOf(redis.slot("{f" + victim + "}"));
        List<String> fids = ids.stream().map(id -> "f" + id).toList();
        Map<String, List<String>> acked = new LinkedHashMap<>();
        for (String id : fids) acked.put(id, new ArrayList<>());
        int refused = 0;
        long killAt = System.currentTimeMillis() + 500;
        long endAt = killAt + 9000;
        boolean killed = false;
        int n = 0;
        while (System.currentTimeMillis() < endAt) {
            if (!killed && System.currentTimeMillis() >= killAt) {
                master.kill();
                killed = true;
            }
            for (String id : fids) {
                String body = "\"" + id + "-" + n + "\"";
                Wire.Reply r = Wire.in(cluster.node(n % 3).inPort(), id, body);
                if (r.status() == 200) acked.get(id).add(body);
                else refused++;
            }
            n++;
            Thread.sleep(20);
        }
        redis.awaitHealthy(15_000);
        for (String id : fids) {
            List<String> want = acked.get(id);
            Await.equal(
                    "every publish answered 200 to " + id + " is in its queue", want, Duration.ofSeconds(10), () -> {
                        try (Wire.Poll p = Wire.poll(cluster.node(0).waitPort(), "0:" + id)) {
                            return p.parts(ANSWER).stream().map(Wire.Part::data).toList();
                        }
                    });
        }
        System.out.println("failover: " + n + " rounds, " + refused + " publish(es) refused with a non-200 answer, "
                + acked.values().stream().mapToInt(List::size).sum() + " acknowledged");
    }
}
