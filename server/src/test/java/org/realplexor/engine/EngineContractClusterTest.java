package org.realplexor.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.realplexor.cluster.RedisCluster;

/**
 * The engine contract suite on REDIS_MODE=cluster: a Redis Cluster of three masters, so the
 * ids of a test (and the control slot) spread over shards. The local runs of the inherited
 * tests are skipped here (EngineContractTest has them).
 */
class EngineContractClusterTest extends EngineContractTest {
    private static RedisCluster redisCluster;

    @BeforeAll
    static void startCluster() {
        redisCluster = RedisCluster.start(3, false);
    }

    @AfterAll
    static void stopCluster() {
        if (redisCluster != null) redisCluster.close();
    }

    @Override
    void redisSetUp(String kind, Map<String, Object> knobs) {
        assumeTrue(kind.equals("redis"), "the local engine runs in EngineContractTest");
        knobs.put("REDIS_MODE", "cluster");
        knobs.put("REDIS_URL", redisCluster.url());
    }
}
