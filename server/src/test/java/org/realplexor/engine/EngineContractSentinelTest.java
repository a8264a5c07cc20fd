package org.realplexor.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.realplexor.cluster.RedisServer;

/**
 * The engine contract suite on REDIS_MODE=sentinel: a master with a replica (so every publish
 * waits for its acknowledgement, REDIS_REPLICA_ACKS=1) found through a sentinel. The local runs
 * of the inherited tests are skipped here (EngineContractTest has them).
 */
class EngineContractSentinelTest extends EngineContractTest {
    private static RedisServer master;
    private static RedisServer replica;
    private static RedisServer sentinel;

    @BeforeAll
    static void startSentinel() throws InterruptedException {
        master = RedisServer.start();
        replica = RedisServer.start(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
        sentinel = RedisServer.sentinel(master, "contract");
        long deadline = System.currentTimeMillis() + 15_000;
        while (!replica.call("INFO", "replication").contains("master_link_status:up")) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("the replica did not sync");
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stopSentinel() {
        for (RedisServer r : new RedisServer[] {sentinel, replica, master}) if (r != null) r.close();
    }

    @Override
    void redisSetUp(String kind, Map<String, Object> knobs) {
        assumeTrue(kind.equals("redis"), "the local engine runs in EngineContractTest");
        knobs.put("REDIS_MODE", "sentinel");
        knobs.put("REDIS_MASTER_NAME", "contract");
        knobs.put("REDIS_URL", sentinel.url());
    }
}
