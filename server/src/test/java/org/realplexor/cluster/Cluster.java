package org.realplexor.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several in-process nodes sharing one Redis under a key prefix of their own, so every cluster
 * starts from an empty store (event positions from 10, no queues) whatever ran before.
 */
final class Cluster implements AutoCloseable {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    final Map<String, Object> knobs;
    final List<Node> nodes = new ArrayList<>();

    private Cluster(Map<String, Object> knobs) {
        this.knobs = knobs;
    }

    /** {@code n} nodes; {@code knobPairs}: "OFFLINE_TIMEOUT", "0.3", ... */
    static Cluster start(RedisServer redis, int n, String... knobPairs) {
        Map<String, Object> knobs = new LinkedHashMap<>();
        knobs.put("ENGINE", "redis");
        knobs.put("REDIS_URL", redis.url());
        knobs.put(
                "REDIS_PREFIX",
                "t" + PREFIXES.incrementAndGet() + "-" + ProcessHandle.current().pid() + ":");
        for (int i = 0; i < knobPairs.length; i += 2) knobs.put(knobPairs[i], knobPairs[i + 1]);
        Cluster c = new Cluster(knobs);
        try {
            for (int i = 0; i < n; i++) c.nodes.add(Node.start(knobs));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    Node node(int i) {
        return nodes.get(i);
    }

    String prefix() {
        return (String) knobs.get("REDIS_PREFIX");
    }

    @Override
    public void close() {
        for (Node n : nodes) n.close();
    }
}
