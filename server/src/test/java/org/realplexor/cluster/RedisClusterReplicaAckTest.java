package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * REDIS_REPLICA_ACKS in REDIS_MODE=cluster, on a real Redis Cluster of three masters with a
 * replica each: every part of a publish waits for its own shard's replica (Redis WAIT on that
 * master's connection). A frozen replica (SIGSTOP: its link stays open, its acknowledgements stop)
 * turns the publishes touching its shard into 503 after REDIS_REPLICA_ACK_TIMEOUT, saying the
 * message was stored but not acknowledged, while the other shards answer 200; a dead replica (its
 * master has none connected) lets publishes go on, counted as unreplicated, or refused with
 * REDIS_REPLICA_ACK_STRICT=1.
 */
class RedisClusterReplicaAckTest {
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @Test
    void eachShardPartWaitsForItsReplica() throws Exception {
        try (RedisCluster redis = RedisCluster.start(3, true)) {
            Map<String, Object> knobs = new LinkedHashMap<>();
            knobs.put("ENGINE", "redis");
            knobs.put("REDIS_MODE", "cluster");
            knobs.put("REDIS_URL", redis.url());
            knobs.put("REDIS_PREFIX", "acks:");
            knobs.put("REDIS_TIMEOUT", "2");
            // long enough for a loaded CI machine; the frozen-replica case waits it out once
            knobs.put("REDIS_REPLICA_ACK_TIMEOUT", "1");
            Map<String, Object> strict = new LinkedHashMap<>(knobs);
            strict.put("REDIS_REPLICA_ACK_STRICT", "1");
            try (Node a = Node.start(knobs);
                    Node b = Node.start(knobs);
                    Node s = Node.start(strict)) {
                run(redis, a, b, s);
            }
        }
    }

    private void run(RedisCluster redis, Node a, Node b, Node strict) throws Exception {
        List<String> ids = oneIdPerShard(redis);
        String all = String.join(",", ids);
        assertEquals(3, Wire.publish(a.inPort(), all, "\"everywhere\"").size());
        assertEquals(
                0,
                a.engine.metrics().redisUnreplicated() + a.engine.metrics().redisAckTimeouts(),
                "every shard's replica acknowledged");

        String frozenId = ids.get(1);
        RedisServer master = redis.masterOf(redis.slot("{" + frozenId + "}"));
        RedisServer replica = redis.replicaOf(master);
        replica.freeze();
        try {
            long t0 = System.nanoTime();
            Wire.Reply r = Wire.in(a.inPort(), frozenId, "\"unacknowledged\"");
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, r.status(), r.body());
            assertTrue(
                    r.body().contains("stored")
                            && r.body().contains("0 of 1 replica(s) acknowledged")
                            && r.body().contains("REDIS_REPLICA_ACK_TIMEOUT"),
                    r.body());
            assertTrue(tookMs >= 900, "waited REDIS_REPLICA_ACK_TIMEOUT for the replica: " + tookMs + " ms");
            assertEquals(1, a.engine.metrics().redisAckTimeouts());
            // the other shards' replicas answer: their publishes are 200; one touching the frozen shard is not
            assertEquals(200, Wire.in(b.inPort(), ids.get(0), "\"fine0\"").status());
            assertEquals(200, Wire.in(b.inPort(), ids.get(2), "\"fine2\"").status());
            assertEquals(503, Wire.in(b.inPort(), all, "\"partly\"").status());
        } finally {
            replica.resume();
        }
        // stored and delivered all the same (the 503 says so): the queue has it
        try (Wire.Poll p = Wire.poll(b.waitPort(), "0:" + frozenId)) {
            List<String> data = p.parts(ANSWER).stream().map(Wire.Part::data).toList();
            assertEquals(List.of("\"everywhere\"", "\"unacknowledged\"", "\"partly\""), data);
        }
        Await.until(
                "the thawed replica acknowledging again",
                ANSWER,
                () -> Wire.in(a.inPort(), frozenId, "\"thawed\"").status() == 200);

        replica.kill();
        Await.until(
                "the master to see its replica gone",
                ANSWER,
                () -> master.call("INFO", "replication").contains("connected_slaves:0"));
        long t0 = System.nanoTime();
        assertEquals(200, Wire.in(a.inPort(), frozenId, "\"no replica\"").status());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 250, "nothing to wait for without a replica");
        assertEquals(1, a.engine.metrics().redisUnreplicated(), "counted as unreplicated");
        Wire.Reply refused = Wire.in(strict.inPort(), frozenId, "\"strict\"");
        assertEquals(503, refused.status(), refused.body());
        assertTrue(refused.body().contains("REDIS_REPLICA_ACK_STRICT"), refused.body());
        assertEquals(
                200,
                Wire.in(strict.inPort(), ids.get(0), "\"strict but replicated\"")
                        .status());
        try (Wire.Poll p = Wire.poll(b.waitPort(), "0:" + frozenId)) {
            List<String> data = p.parts(ANSWER).stream().map(Wire.Part::data).toList();
            assertEquals("\"no replica\"", data.get(data.size() - 1), "the strict node stored nothing: " + data);
        }
    }

    /** Ids whose keys ({ID}) land on each master in turn. */
    private static List<String> oneIdPerShard(RedisCluster redis) {
        List<String> out = new ArrayList<>();
        for (RedisServer m : redis.masters()) {
            for (int i = 0; ; i++) {
                String id = "ack" + i;
                if (!out.contains(id) && redis.masterOf(redis.slot("{" + id + "}")) == m) {
                    out.add(id);
                    break;
                }
            }
        }
        return out;
    }
}
