package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection that keeps itself made: lost (closed, failed, or silent past
 * REDIS_TIMEOUT while answers are due) it is dropped and made again after a backoff of 0.1 s
 * doubling up to 5 s. While it is down, commands fail at once with the reason. Everything runs
 * on the Hub's thread: connections are made from its context, so Vert.x completes their futures
 * there; a connection's own handlers (pushes, errors, end) run on the context the client made for
 * it, so they go through {@code onHub}.
 *
 * <p>Each connection gets its own client (a pool of one), so a silent connection is closed for
 * good instead of going back to a pool.
 *
 * <p>REDIS_MODE=sentinel: each connection is made to the master the sentinels name at that
 * moment (the client asks them in turn), so after a failover the next attempt reaches the new
 * master. The backoff then stops at 1 s: the gap is the sentinels' failover time plus at most
 * that (in cluster mode too: a shard fails over in about cluster-node-timeout). A connection whose Redis answers READONLY (an old master that came back as a replica
 * while the connection stayed) is dropped and made again through the sentinels.
 *
 * <p>REDIS_MODE=cluster: the commands link is the client's cluster connection (one socket per
 * master it reaches; calls go to the master of their keys' slot, MOVED / ASK followed, the slot
 * table refreshed); the subscriber is a plain connection to one seed node, the next one on each
 * attempt. A shard's socket lost drops the link, which is made again after the backoff; calls
 * for a shard that stays unreachable fail with the reason while the others' go through.
 */
final class RedisLink {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5000;
    private static final long MAX_SENTINEL_BACKOFF_MS = 1000;

    /** What the owner hears: the link is usable, or it stopped being usable. */
    interface Events {
        void up(RedisLink link);

        void down(RedisLink link);
    }

    private final Vertx vertx;
    private final Executor onHub;
    private final RedisKnobs knobs;
    private final String role;
    private final Handler<Response> pushes;
    private final Function<RedisConnection, Future<?>> prepare;
    private final Events events;

    private Redis client;
    private RedisConnection conn;
    private int generation;
    private boolean connecting;
    private long connectStartedAt;
    private long retryAt;
    private long backoffMs = FIRST_BACKOFF_MS;
    private int inFlight;
    private long progressAt;
    private boolean closed;
    private String lastError = "not connected yet";
    /** For the metrics (Hub's thread): connections made after the first, commands answered and their time. */
    private boolean everUp;

    private long reconnects;
    private long commands;
    private long commandNanos;

    /**
     * @param onHub   runs a task on the Hub's thread, queued behind what is already waiting there
     * @param role    "commands" or "subscriber", for logs
     * @param pushes  pub/sub messages, or null
     * @param prepare run on each new connection before it counts as up (e.g. SUBSCRIBE)
     */
    RedisLink(
            Vertx vertx,
            Executor onHub,
            RedisKnobs knobs,
            String role,
            Handler<Response> pushes,
            Function<RedisConnection, Future<?>> prepare,
            Events events) {
        this.vertx = vertx;
        this.onHub = onHub;
        this.knobs = knobs;
        this.role = role;
        this.pushes = pushes;
        this.prepare = prepare;
        this.events = events;
    }

    boolean up() {
        return conn != null;
    }

    long reconnects() {
        return reconnects;
    }

    long commands() {
        return commands;
    }

    long commandNanos() {
        return commandNanos;
    }

    String lastError() {
        return lastError;
    }

    /** Reconnects when due and drops a connection that stopped answering. */
    void tick(long now) {
        if (closed) return;
        if (conn != null && inFlight > 0 && now - progressAt > knobs.timeoutMs()) {
            lost(generation, "no answer within REDIS_TIMEOUT=" + knobs.timeoutMs() / 1000.0 + "s");
        } else if (connecting && now - connectStartedAt > 2 * knobs.timeoutMs()) {
            lost(generation, "connecting took longer than 2 x REDIS_TIMEOUT");
        } else if (conn == null && !connecting && now >= retryAt) {
            connect();
        }
    }

    void connect() {
        if (closed || connecting || conn != null) return;
        connecting = true;
        connectStartedAt = System.currentTimeMillis();
        int gen = ++generation;
        RedisOptions options = new RedisOptions()
                .setEndpoints(knobs.endpoints())
                .setMaxPoolSize(1)
                .setMaxWaitingHandlers(1 << 20)
                .setNetClientOptions(new NetClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, knobs.timeoutMs()))
                        .setTcpNoDelay(true));
        if (knobs.mode() == RedisKnobs.Mode.SENTINEL) {
            options.setType(RedisClientType.SENTINEL)
                    .setMasterName(knobs.masterName())
                    .setRole(RedisRole.MASTER);
        } else if (knobs.cluster() && pushes == null) {
            options.setType(RedisClientType.CLUSTER);
        } else if (knobs.cluster()) {
            // the bus: PUBLISH on a Redis Cluster reaches the subscribers of every node, so the
            // subscription is one plain connection, to the next seed node on each attempt
            options.setEndpoints(
                    List.of(knobs.endpoints().get(gen % knobs.endpoints().size())));
        }
        Redis c = Redis.createClient(vertx, options);
        client = c;
        c.connect()
                .compose(made -> {
                    made.exceptionHandler(e -> onHub.execute(() -> lost(gen, describe(e))));
                    made.endHandler(v -> onHub.execute(() -> lost(gen, "connection closed by Redis")));
                    if (pushes != null)
                        made.handler(push -> onHub.execute(() -> {
                            if (gen == generation) pushes.handle(push);
                        }));
                    return prepare.apply(made).map(made);
                })
                .onComplete(ar -> {
                    if (gen != generation || closed) {
                        c.close();
                        return;
                    }
                    connecting = false;
                    if (ar.failed()) {
                        lost(gen, describe(ar.cause()));
                        return;
                    }
                    conn = ar.result();
                    if (everUp) reconnects++;
                    everUp = true;
                    inFlight = 0;
                    backoffMs = FIRST_BACKOFF_MS;
                    log.info("redis {} connection up ({})", role, knobs.safeUrl());
                    events.up(this);
                });
    }

    Future<Response> send(Request r) {
        RedisConnection c = conn;
        if (c == null) return Future.failedFuture(unavailable());
        int gen = generation;
        if (inFlight++ == 0) progressAt = System.currentTimeMillis();
        long sent = System.nanoTime();
        return c.send(r).andThen(ar -> {
            commands++;
            commandNanos += System.nanoTime() - sent;
            if (gen != generation) return;
            inFlight--;
            progressAt = System.currentTimeMillis();
            if (ar.failed()
                    && ar.cause().getMessage() != null
                    && ar.cause().getMessage().startsWith("READONLY")) {
                lost(gen, "the Redis reached is a replica now (READONLY)");
            }
        });
    }

    /**
     * Several requests in one round trip (pipelined). Fails whole if any of them fails, though
     * those before it have been carried out.
     */
    Future<List<Response>> batch(List<Request> requests) {
        RedisConnection c = conn;
        if (c == null) return Future.failedFuture(unavailable());
        int gen = generation;
        if (inFlight++ == 0) progressAt = System.currentTimeMillis();
        long sent = System.nanoTime();
        return c.batch(requests).andThen(ar -> {
            commands++;
            commandNanos += System.nanoTime() - sent;
            if (gen != generation) return;
            inFlight--;
            progressAt = System.currentTimeMillis();
        });
    }

    /** Why commands fail right now, as the IN line's 503 body says it. */
    RuntimeException unavailable() {
        return new RedisDown("Redis at " + knobs.safeUrl() + " is unavailable (" + lastError + "); reconnecting");
    }

    /** Drops the connection now; it is made again after the backoff. */
    void drop(String reason) {
        if (conn != null || connecting) lost(generation, reason);
    }

    Future<Void> close() {
        closed = true;
        conn = null;
        Redis c = client;
        client = null;
        return c == null ? Future.succeededFuture() : c.close();
    }

    private void lost(int gen, String reason) {
        if (gen != generation || closed) return;
        boolean wasUp = conn != null;
        generation++;
        conn = null;
        connecting = false;
        inFlight = 0;
        lastError = reason;
        if (client != null) client.close();
        client = null;
        retryAt = System.currentTimeMillis() + backoffMs;
        backoffMs = Math.min(
                knobs.mode() != RedisKnobs.Mode.STANDALONE ? MAX_SENTINEL_BACKOFF_MS : MAX_BACKOFF_MS, backoffMs * 2);
        log.warn(
                "redis {} connection {} ({}): {}; retrying in {} ms",
                role,
                wasUp ? "lost" : "failed",
                knobs.safeUrl(),
                reason,
                retryAt - System.currentTimeMillis());
        if (wasUp) events.down(this);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A failure with nothing to learn from its stack. */
    static final class RedisDown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RedisDown(String message) {
            super(message, null, false, false);
        }
    }
}
