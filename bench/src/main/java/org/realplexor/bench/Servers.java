package org.realplexor.bench;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a scenario runs against: one server, or a cluster of nodes sharing a Redis the bench
 * started. Listeners and publishes are spread over the nodes round-robin, as a balancer would.
 */
final class Servers implements AutoCloseable {
    private final List<ServerUnderTest> nodes;
    /** Null for a single server. */
    private final RedisSetup redis;

    Servers(List<ServerUnderTest> nodes, RedisSetup redis) {
        this.nodes = List.copyOf(nodes);
        this.redis = redis;
    }

    static Servers single(ServerUnderTest server) {
        return new Servers(List.of(server), null);
    }

    /** The first (for single-server scenarios, the only) node. */
    ServerUnderTest first() {
        return nodes.get(0);
    }

    int nodeCount() {
        return nodes.size();
    }

    boolean cluster() {
        return redis != null;
    }

    /** The nodes' REDIS_MODE; null for a single server. */
    String redisMode() {
        return redis == null ? null : redis.mode;
    }

    /** CPU seconds so far of each Redis process by its label; empty for a single server. */
    java.util.Map<String, Double> redisCpuByProcess() {
        return redis == null ? java.util.Map.of() : redis.cpuByProcess();
    }

    /** The WAIT address listener {@code i} connects to. */
    InetSocketAddress waitFor(int i) {
        return nodes.get(Math.floorMod(i, nodes.size())).wait;
    }

    /** The IN address publish {@code k} goes to. */
    InetSocketAddress inFor(int k) {
        return nodes.get(Math.floorMod(k, nodes.size())).in;
    }

    /** CPU and RSS of every node together; null when a pid is unknown. */
    ProcStats.Sample sample() {
        ProcStats.Sample sum = null;
        for (ServerUnderTest n : nodes) {
            ProcStats.Sample s = n.sample();
            if (s == null) {
                return null;
            }
            sum = sum == null ? s : sum.plus(s);
        }
        return sum;
    }

    /** The data-bearing Redis processes' figures together (not the sentinels); null without Redis. */
    ProcStats.Sample redisSample() {
        return redis == null ? null : redis.sample();
    }

    /** Nodes and Redis together: every process the scenario is measuring. */
    ProcStats.Sample sampleAll() {
        ProcStats.Sample s = sample();
        ProcStats.Sample r = redis == null ? null : redis.sampleAll();
        return s == null || r == null ? s : s.plus(r);
    }

    boolean managed() {
        return first().managed();
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerUnderTest n : nodes) {
            n.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
