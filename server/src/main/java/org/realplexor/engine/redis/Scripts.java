package org.realplexor.engine.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua run inside Redis, one resource file per operation next to this class
 * ({@code publish.lua}, {@code queued.lua}, {@code presence.lua}), each headed by its ARGV and
 * reply; the helper functions they share ({@code sort_key.lua}, {@code clock.lua},
 * {@code epoch.lua}) are put in
 * front when a script is loaded. Every script takes the key prefix as ARGV[1] and builds its
 * keys from it (standalone Redis or Sentinel). Each call is atomic, which is what makes cursors, queues and presence consistent across
 * nodes without locks. Key layout (P = prefix):
 *
 * <pre>
 * P:clock            hash  us, n: the last generated cursor (microseconds, counter)
 * P:seq              int   the last message number
 * P:epoch            hash  id, replid: the store's identity (epoch.lua); numbers are the epoch's
 * P:m:SEQ            hash  b = the message blob (MessageCodec), r = queues still holding it
 * P:q:ID             zset  the queue of ID; all scores 0, members "SORTKEY SEQ" in cursor order
 * P:qt:ID            int   when the queue last renewed its messages' lifetime (Redis time, ms)
 * P:bus              pub/sub channel carrying each message blob once
 * P:nodes            zset  node id -&gt; heartbeat deadline (Redis time, ms)
 * P:node:NODE        hash  id -&gt; listeners on that node
 * P:online           hash  id -&gt; listeners on all nodes (0 while its offline countdown runs)
 * P:offline_at       zset  id -&gt; when its countdown ends (Redis time, ms)
 * P:events           list  "POS TYPE ID", the newest 3 x (EVENT_CHAIN_LEN + 1) events
 * P:event_next       int   the position the next event gets (10 on a fresh store)
 * P:once:LOGIN:KEY   str   an idempotency key's answer for IDEMPOTENCY_WINDOW (RedisPublishOnce)
 * </pre>
 *
 * <p>REDIS_MODE=cluster: a script runs on one slot, so keys carry hash tags after the prefix.
 * The keys every node shares are those above with P{ctl}: for P (one slot: presence.lua,
 * clock.lua and epoch.lua run there unchanged, given that prefix and P{ctl}:clock as KEYS[1] for
 * routing; every key they build carries the same tag, so it is on the slot they were sent to).
 * P{ctl}:seq starts at Redis's time in microseconds, not 0 (see cluster_clock.lua). An id's keys
 * share the slot of {ID} and are given as KEYS ({@code cluster_part.lua}, {@code cluster_queued.lua});
 * only the message keys a rotation drops are built, from P{ID}: and their number:
 *
 * <pre>
 * P{ID}:q            zset  the queue of ID, as P:q:ID
 * P{ID}:qt           int   as P:qt:ID
 * P{ID}:lc           str   the last generated cursor stored for ID (a crossed publish's is raised above it)
 * P{ID}:m:SEQ        hash  b = a copy of the whole message, its header naming ID as the part
 * P:bus              pub/sub channel (PUBLISH reaches every node of a Redis Cluster), one copy per target
 * </pre>
 */
final class Scripts {
    private Scripts() {}

    /** Stores one message under its targets, rotates and renews their queues, publishes it. */
    static final String PUBLISH = load("sort_key.lua", "clock.lua", "epoch.lua", "publish.lua");

    /** REDIS_MODE=cluster, on the control slot: epoch, the message's cursor and number ({@link ClusterPublish}). */
    static final String CLUSTER_CLOCK = load("clock.lua", "epoch.lua", "cluster_clock.lua");

    /** REDIS_MODE=cluster, on one id's slot: its part of a message ({@link ClusterPublish}). */
    static final String CLUSTER_PART = load("sort_key.lua", "cluster_part.lua");

    /** REDIS_MODE=cluster, on one id's slot: its queue after a cursor ({@link QueueReads}). */
    static final String CLUSTER_QUEUED = load("sort_key.lua", "cluster_queued.lua");

    /** REDIS_MODE=cluster, on the control slot: the last number and the epoch ({@link QueueReads}). */
    static final String CLUSTER_CONTROL = load("epoch.lua", "cluster_control.lua");

    /** Reads queues after given cursors, sending only the blobs the node does not hold. */
    static final String QUEUED = load("sort_key.lua", "epoch.lua", "queued.lua");

    /** The cluster's timers, this node's heartbeat and counts, then an optional read. */
    static final String PRESENCE = load("clock.lua", "epoch.lua", "presence.lua");

    /** The named resources of this package, concatenated in order. */
    static String load(String... names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            try (InputStream in = Scripts.class.getResourceAsStream(name)) {
                if (in == null) throw new IllegalStateException("missing script resource " + name);
                sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("reading script resource " + name, e);
            }
        }
        return sb.toString();
    }
}
