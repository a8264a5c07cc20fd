package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This node's listener count per id, the truth that Redis's copy (P:node:NODE) is brought up to.
 * Changes are sent as absolute counts of the ids that changed, so a batch that failed or arrived
 * twice does no harm; after a reconnect, or when Redis no longer knows the node (it was reaped
 * while unreachable, or the store was lost), the whole table is sent.
 */
final class PresenceCounts {
    private final Map<String, Integer> counts = new HashMap<>();
    private Set<String> dirty = new HashSet<>();
    private boolean fullNeeded = true;
    private Promise<Void> waiting;

    /** One batch on its way to Redis. */
    record Batch(boolean full, List<Object> pairs, Set<String> ids, Promise<Void> done) {}

    /** Applies +1/-1 deltas; the future completes when Redis has them. */
    Future<Void> apply(Map<String, Integer> deltas) {
        for (Map.Entry<String, Integer> d : deltas.entrySet()) {
            int n = counts.getOrDefault(d.getKey(), 0) + d.getValue();
            if (n > 0) counts.put(d.getKey(), n);
            else counts.remove(d.getKey());
            dirty.add(d.getKey());
        }
        if (waiting == null) waiting = Promise.promise();
        return waiting.future();
    }

    boolean pending() {
        return fullNeeded || !dirty.isEmpty();
    }

    void needFull() {
        fullNeeded = true;
    }

    /** Ids with a listener on this node now. */
    Set<String> ids() {
        return counts.keySet();
    }

    int get(String id) {
        return counts.getOrDefault(id, 0);
    }

    /** What Redis does not have yet, as (id, count) pairs; the caller sends it. */
    Batch take() {
        boolean full = fullNeeded;
        Set<String> ids = full ? new HashSet<>(counts.keySet()) : dirty;
        List<Object> pairs = new ArrayList<>(ids.size() * 2);
        for (String id : ids) {
            pairs.add(id);
            pairs.add(Long.valueOf(counts.getOrDefault(id, 0)));
        }
        Batch b = new Batch(full, pairs, ids, waiting == null ? Promise.promise() : waiting);
        dirty = new HashSet<>();
        fullNeeded = false;
        waiting = null;
        return b;
    }

    /** The batch did not land: what it carried is still to be sent. */
    void failed(Batch b, Throwable cause) {
        if (b.full()) fullNeeded = true;
        dirty.addAll(b.ids());
        b.done().tryFail(cause);
    }
}
