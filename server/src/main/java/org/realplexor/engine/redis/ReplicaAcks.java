package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a publish owes the master's replicas (REDIS_REPLICA_ACKS, _TIMEOUT, _STRICT; sentinel
 * mode), so that a publish answered 200 survives a failover. The publish script says how many
 * replicas are connected; with one or more the publish waits for them (Redis {@code WAIT} on the
 * same connection, which covers every write that connection made). With fewer than asked
 * (after a failover the new master has none until the old box returns) it goes on, counted and
 * warned about, unless strict: then the script refused it before storing anything.
 * On the Hub's thread, as the engine.
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

    /** After the publish script stored a message with {@code connected} replicas connected. */
    Future<Void> await(RedisLink commands, int connected) {
        int want = knobs.replicaAcks();
        if (want == 0) return Future.succeededFuture();
        if (connected < want) {
            unreplicated++;
            long now = System.currentTimeMillis();
            if (warnedAt == Long.MIN_VALUE || now - warnedAt >= WARN_EVERY_MS) {
                warnedAt = now;
                log.warn("the Redis master has {} connected replica(s), REDIS_REPLICA_ACKS={}: publishes go on with "
                        + "reduced durability (a failover now may lose them; {} so far; REDIS_REPLICA_ACK_STRICT=1 "
                        + "refuses them instead)", connected, want, unreplicated);
            }
            if (connected == 0) return Future.succeededFuture();
        }
        int n = Math.min(want, connected);
        return commands.send(Request.cmd(Command.WAIT).arg(n).arg(knobs.ackTimeoutMs())).compose(r -> {
            long acked = r.toLong();
            if (acked >= n) return Future.succeededFuture();
            timeouts++;
            return Future.failedFuture(new RedisLink.RedisDown("the message was stored on the Redis master and "
                    + "delivered, but " + acked + " of " + n + " replica(s) acknowledged it within "
                    + "REDIS_REPLICA_ACK_TIMEOUT=" + knobs.ackTimeoutMs() / 1000.0 + "s: a failover now may lose it"));
        });
    }
}
