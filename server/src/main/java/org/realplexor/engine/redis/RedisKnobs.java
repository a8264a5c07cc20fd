package org.realplexor.engine.redis;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.realplexor.config.Settings;

/**
 * The Redis engine's knobs, as Settings reads and checks them (config/Knobs). All are read once,
 * when the engine starts: a reload that changes them says they take effect only on restart.
 *
 * @param endpoints      REDIS_URL split at commas, e.g. {@code redis://:secret@10.0.0.5:6379/0}:
 *                       the one Redis (standalone), the sentinels (sentinel)
 * @param mode           REDIS_MODE
 * @param masterName     REDIS_MASTER_NAME: the master's name in Sentinel
 * @param prefix         REDIS_PREFIX, put in front of every key and the channel: several clusters
 *                       may share one Redis under different prefixes
 * @param nodeTtlMs      REDIS_NODE_TTL: a node that has not been heard from for this long (it died
 *                       without saying goodbye) has its listeners taken off the online counts
 * @param timeoutMs      REDIS_TIMEOUT: a command not answered within this is failed, and the
 *                       connection dropped and made again
 * @param replicaAcks    REDIS_REPLICA_ACKS in sentinel and cluster mode (per shard), else 0: replicas a publish waits for
 * @param ackTimeoutMs   REDIS_REPLICA_ACK_TIMEOUT
 * @param strict         REDIS_REPLICA_ACK_STRICT: refuse publishes while fewer replicas are connected
 */
record RedisKnobs(
        List<String> endpoints,
        Mode mode,
        String masterName,
        String prefix,
        long nodeTtlMs,
        long timeoutMs,
        int replicaAcks,
        long ackTimeoutMs,
        boolean strict) {

    /** REDIS_MODE's values. */
    enum Mode {
        STANDALONE,
        SENTINEL,
        CLUSTER
    }

    /** Reads and checks the knobs; throws IllegalArgumentException naming the knob that is wrong. */
    static RedisKnobs from(Settings s) {
        String prefix = s.text("REDIS_PREFIX");
        Mode mode = switch (s.redisMode()) {
            case "standalone", "" -> Mode.STANDALONE;
            case "sentinel" -> Mode.SENTINEL;
            case "cluster" -> Mode.CLUSTER;
            default ->
                throw new IllegalArgumentException(
                        "REDIS_MODE: expected standalone, sentinel or cluster, got '" + s.redisMode() + "'");
        };
        List<String> endpoints = new ArrayList<>();
        for (String e : s.redisUrl().split(",")) {
            String one = e.strip();
            if (one.isEmpty()) continue;
            try {
                URI u = URI.create(one);
                if (u.getHost() == null) throw new IllegalArgumentException("no host");
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("REDIS_URL: '" + safe(one)
                        + "' is not a redis://[:password@]host:port URL (" + bad.getMessage() + ")");
            }
            endpoints.add(one);
        }
        if (endpoints.isEmpty()) throw new IllegalArgumentException("REDIS_URL: no endpoint given");
        if (mode == Mode.STANDALONE && endpoints.size() > 1) {
            throw new IllegalArgumentException("REDIS_URL: " + endpoints.size()
                    + " endpoints given, REDIS_MODE=standalone takes one (sentinel takes the sentinels)");
        }
        if (mode == Mode.SENTINEL && s.redisMasterName().isEmpty()) {
            throw new IllegalArgumentException("REDIS_MASTER_NAME: empty; REDIS_MODE=sentinel needs the master's name");
        }
        if (mode == Mode.CLUSTER && (prefix.contains("{") || prefix.contains("}"))) {
            throw new IllegalArgumentException("REDIS_PREFIX: '" + prefix
                    + "' holds a brace; REDIS_MODE=cluster puts its " + "own hash tags after the prefix ({ctl}, {ID})");
        }
        long ackTimeout = s.redisReplicaAckTimeoutMs();
        if (mode != Mode.STANDALONE && s.redisReplicaAcks() > 0 && ackTimeout >= s.redisTimeoutMs()) {
            throw new IllegalArgumentException("REDIS_REPLICA_ACK_TIMEOUT: " + ackTimeout / 1000.0
                    + " must be less than REDIS_TIMEOUT (" + s.redisTimeoutMs() / 1000.0
                    + "), or waiting for a replica would count as Redis not answering");
        }
        return new RedisKnobs(
                List.copyOf(endpoints),
                mode,
                s.redisMasterName(),
                prefix.isEmpty() ? "realplexor:" : prefix,
                s.redisNodeTtlMs(),
                s.redisTimeoutMs(),
                mode != Mode.STANDALONE ? s.redisReplicaAcks() : 0,
                ackTimeout,
                s.redisReplicaAckStrict());
    }

    boolean cluster() {
        return mode == Mode.CLUSTER;
    }

    /**
     * Where the keys every node shares live (clock, numbers, epoch, nodes, presence, events): the
     * prefix itself, or on a Redis Cluster the prefix and the hash tag {ctl}, so that they share
     * one slot and the scripts that use them together run on one shard.
     */
    String controlPrefix() {
        return mode == Mode.CLUSTER ? prefix + "{ctl}:" : prefix;
    }

    /** REDIS_MODE=cluster: the keys of one id (queue, its messages) share the slot of the hash tag {ID}. */
    String idPrefix(String id) {
        return prefix + "{" + id + "}:";
    }

    /** How often a node heartbeats and runs the cluster's timers: well within its TTL. */
    long sweepMs() {
        return Math.max(20, Math.min(250, nodeTtlMs / 4));
    }

    /** The endpoints without passwords, for logs and error answers. */
    String safeUrl() {
        List<String> out = new ArrayList<>();
        for (String e : endpoints) out.add(safe(e));
        String urls = String.join(",", out);
        return mode == Mode.SENTINEL ? "sentinel master " + masterName + " via " + urls : urls;
    }

    private static String safe(String url) {
        try {
            URI u = URI.create(url);
            if (u.getUserInfo() == null) return url;
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), null).toString();
        } catch (Exception e) {
            return "(REDIS_URL, unparsable)";
        }
    }
}
