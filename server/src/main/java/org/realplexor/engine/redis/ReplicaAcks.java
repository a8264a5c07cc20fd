package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a publish owes the masters' replicas (REDIS_REPLICA_ACKS, _TIMEOUT, _STRICT; sentinel and
 * cluster mode), so that a publish answered 200 survives a failover. The publish script says how
 * many replicas are connected; with one or more the publish waits for them (Redis {@code WAIT} on
 * the same connection, which covers every write that connection made). With fewer than asked
 * (after a failover the new master has none until the old box returns) it goes on, counted and
 * warned about, unless strict: then the script refused it before storing anything.
 *
 * <p>Sentinel mode waits here ({@link #await}); on a Redis Cluster each shard's master is waited
 * for on its own connection by {@link ClusterPublish}, which uses the parts below, and
 * {@link #await} has nothing left to do. On the Hub's thread, as the engine.
 */
final class ReplicaAcks {
    private static final Logger log = LoggerFactory.getLogger(ReplicaAcks.class);
    private static final long WARN_EVERY_MS = 60_000;

    private final RedisKnobs knobs;
    private long unreplicated;
    private long timeouts;
    private long warnedAt = Long.MIN_VALUE;

    ReplicaAcks(RedisKnobs knobs) {
        this.knobs = knobs;
    }

    /** The publish script's last argument: refuse below this many connected replicas (0: never). */
    long refuseBelow() {
        return knobs.strict() ? knobs.replicaAcks() : 0;
    }

    /** Publishes stored with fewer replica acknowledgements asked for than REDIS_REPLICA_ACKS. */
    long unreplicated() {
        return unreplicated;
    }

    /** Publishes answered 503 because their acknowledgements did not come in time. */
    long timeouts() {
        return timeouts;
    }

    /** After the publish script stored a message with {@code connected} replicas connected (sentinel mode). */
    Future<Void> await(RedisLink commands, int connected) {
        if (knobs.cluster()) return Future.succeededFuture(); // ClusterPublish waited, shard by shard
        if (knobs.replicaAcks() == 0) return Future.succeededFuture();
        if (fewerThanAsked(connected)) noteUnreplicated(connected, "the Redis master");
        int n = toWaitFor(connected);
        if (n == 0) return Future.succeededFuture();
        return commands.send(waitRequest(n)).compose(r -> checked(r.toLong(), n, "the Redis master"));
    }

    /** Acknowledgements to wait for from a master with {@code connected} replicas; 0: do not wait. */
    int toWaitFor(int connected) {
        return Math.max(0, Math.min(knobs.replicaAcks(), connected));
    }

    /** True when a master with {@code connected} replicas gives fewer acknowledgements than asked. */
    boolean fewerThanAsked(int connected) {
        return connected < knobs.replicaAcks();
    }

    /** {@code WAIT n REDIS_REPLICA_ACK_TIMEOUT}. */
    Request waitRequest(int n) {
        return Request.cmd(Command.WAIT).arg(n).arg(knobs.ackTimeoutMs());
    }

    /** A publish was stored where {@code where} had only {@code connected} replicas: counted, warned about. */
    void noteUnreplicated(int connected, String where) {
        unreplicated++;
        long now = System.currentTimeMillis();
        if (warnedAt == Long.MIN_VALUE || now - warnedAt >= WARN_EVERY_MS) {
            warnedAt = now;
            log.warn(
                    "{} has {} connected replica(s), REDIS_REPLICA_ACKS={}: publishes go on with reduced durability "
                            + "(a failover now may lose them; {} so far; REDIS_REPLICA_ACK_STRICT=1 refuses them instead)",
                    where,
                    connected,
                    knobs.replicaAcks(),
                    unreplicated);
        }
    }

    /** WAIT answered {@code acked} of the {@code n} asked for: fine, or a counted 503 naming {@code where}. */
    Future<Void> checked(long acked, int n, String where) {
        if (acked >= n) return Future.succeededFuture();
        timeouts++;
        return Future.failedFuture(new RedisLink.RedisDown("the message was stored on " + where + " and delivered, but "
                + acked + " of " + n + " replica(s) acknowledged it within REDIS_REPLICA_ACK_TIMEOUT="
                + knobs.ackTimeoutMs() / 1000.0 + "s: a failover now may lose it"));
    }
}
