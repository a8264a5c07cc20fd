package org.realplexor.engine.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.realplexor.config.Settings;
import org.realplexor.engine.BatchStore;
import org.realplexor.engine.CursorClock;
import org.realplexor.engine.Engine;
import org.realplexor.engine.OncePublished;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.SharedPublishKeys;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.OnlineTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ENGINE=redis: several nodes share queues, cursors, presence and the event log in one Redis
 * (REDIS_URL). Each call is one round trip (a Lua script, see {@link Scripts}); every message
 * reaches every node once over pub/sub. Two connections, both made on the Hub's context so all
 * futures and pushes complete on the Hub's thread: one for commands, one subscribed.
 *
 * <p>{@link #now()} must answer at once, so it returns the highest generated cursor this node has
 * seen (from its own publishes, pub/sub, queue reads, and each sweep's look at Redis's clock).
 * Cursors come from one clock in Redis that only moves forward, so anything published after a
 * listener registered gets a greater cursor than that. A message generated elsewhere whose
 * pub/sub has not arrived yet may still reach a "from now" listener: the gap is one pub/sub hop.
 * Before Redis was ever reached the node's own clock stands in.
 *
 * <p>Redis down: calls fail at once with the reason (the IN line answers 503), listeners stay,
 * both connections come back with backoff, then presence is re-sent whole and the queues of the
 * ids listened to here are read back, so a listener misses nothing that was stored.
 *
 * <p>Redis back with less than it had (restarted empty, a replica promoted that missed the last
 * writes): message numbers start again, so what this node cached by number would be taken for
 * other messages. Every script answer and every bus message names the store's epoch (see
 * {@code epoch.lua}); a new one drops the cache and reads the listened ids' queues back whole.
 */
public final class RedisEngine implements Engine, SharedPublishKeys, BatchStore {
    private static final Logger log = LoggerFactory.getLogger(RedisEngine.class);
    private static final String CHANNEL = "bus";

    private static final LuaScript PUBLISH = new LuaScript(Scripts.PUBLISH);

    private final Context hub;
    private final RedisKnobs knobs;
    private final String node;
    private final RedisLink commands;
    private final RedisLink subscriber;
    private final PresenceCounts presence = new PresenceCounts();
    private final MessageFeed feed;
    private final CursorClock localClock = new CursorClock();
    private final CountDownLatch firstContact = new CountDownLatch(1);
    private final QueueReads reads;
    private final ReplicaAcks acks;
    private final RedisBatches batches;
    private final PresenceCalls presenceCalls;
    private final StoreEpochs epochs;
    private final CatchUp catchUp;
    private Settings settings;
    private Cursor highest;
    private long nextSweep;
    private boolean closed;
    private volatile boolean healthy;

    /** Checks the engine's knobs (REDIS_MODE, REDIS_URL, ...); throws IllegalArgumentException naming the one that is wrong. */
    public static void check(Settings settings) {
        RedisKnobs.from(settings);
    }

    /** Connects on {@code hubContext}; waits up to REDIS_TIMEOUT for Redis, then runs degraded. */
    public RedisEngine(Context hubContext, Settings settings) throws InterruptedException {
        this.hub = hubContext;
        this.settings = settings;
        this.knobs = RedisKnobs.from(settings);
        this.feed = new MessageFeed(knobs.cluster());
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.node = HexFormat.of().formatHex(id);
        RedisLink.Events events = new RedisLink.Events() {
            @Override
            public void up(RedisLink link) {
                linkUp(link);
            }

            @Override
            public void down(RedisLink link) {
                linkDown(link);
            }
        };
        this.commands = new RedisLink(
                hubContext.owner(), this::onHub, knobs, "commands", null, c -> Future.succeededFuture(), events);
        this.subscriber = new RedisLink(
                hubContext.owner(),
                this::onHub,
                knobs,
                "subscriber",
                this::pushed,
                c -> c.send(Request.cmd(Command.SUBSCRIBE).arg(knobs.prefix() + CHANNEL)),
                events);
        this.acks = new ReplicaAcks(knobs);
        this.presenceCalls = new PresenceCalls(commands, knobs, node, presence, () -> this.settings, this::answered);
        this.batches = new RedisBatches(this, commands, knobs, acks, this::noted);
        this.reads = new QueueReads(commands, knobs, feed.cache(), this::saw, this::sawEpoch);
        this.epochs = new StoreEpochs(feed, knobs.safeUrl());
        this.catchUp = new CatchUp(
                reads,
                feed,
                presence,
                () -> commands.up() && subscriber.up() && !closed,
                this::updateHealth,
                this::onHub);
        hubContext.runOnContext(v -> {
            commands.connect();
            subscriber.connect();
        });
        if (!Context.isOnEventLoopThread() && !firstContact.await(knobs.timeoutMs() + 1000, TimeUnit.MILLISECONDS)) {
            log.warn("Redis at {} not reachable yet; running degraded until it is", knobs.safeUrl());
        }
    }

    /** Both connections are up and nothing missed is still being read back. Any thread. */
    public boolean healthy() {
        return healthy;
    }

    /**
     * Always through the Hub's task queue, even from the Hub's own thread: a pub/sub message is
     * read in the loop's I/O phase, and run there at once it would overtake a registration that
     * a WAIT connection queued earlier (and whose head the client already has). The listener
     * would then miss the message and register with a "now" already past it.
     */
    private void onHub(Runnable task) {
        hub.runOnContext(v -> task.run());
    }

    // ---- messages -----------------------------------------------------------------------

    @Override
    public Future<StoredMessage> publish(Map<String, Cursor> targets, Collection<String> limiters, byte[] data) {
        if (knobs.cluster()) {
            return ClusterPublish.run(commands, knobs, settings, acks, targets, limiters, data)
                    .compose(s -> stored(s.published())
                            .map(p -> new StoredMessage(
                                    data, new TreeMap<>(s.cursors()), new LinkedHashSet<>(limiters))));
        }
        List<Object> args = PublishArgs.of(knobs.prefix(), settings, targets, limiters, data, acks.refuseBelow(), 0);
        return PUBLISH.run(commands, args)
                .compose(r -> stored(Replies.published(r)))
                .map(p -> {
                    Cursor generated = p.generated();
                    SortedMap<String, Cursor> cursors = new TreeMap<>();
                    targets.forEach((id, c) -> cursors.put(id, c == null ? generated : c));
                    return new StoredMessage(data, cursors, new LinkedHashSet<>(limiters));
                });
    }

    /** What every store of a message does with publish.lua's reply: note its epoch and cursor, wait for replicas. */
    private Future<Replies.Published> stored(Replies.Published p) {
        noted(p);
        return acks.await(commands, p.replicas()).map(p);
    }

    private void noted(Replies.Published p) {
        sawEpoch(p.epoch());
        saw(p.generated());
    }

    @Override
    public Cursor now() {
        return highest != null ? highest : localClock.next();
    }

    @Override
    public Future<Map<String, List<StoredMessage>>> queuedAfter(Map<String, Cursor> after) {
        return reads.read(after).map(QueueReads.Result::byId);
    }

    @Override
    public void onMessage(Consumer<StoredMessage> consumer) {
        feed.add(consumer);
    }

    private void pushed(Response push) {
        byte[] blob = Replies.busMessage(push);
        if (blob == null) return;
        MessageCodec.Decoded d = MessageCodec.decode(blob);
        if (!sawEpoch(d.epoch())) return;
        saw(d.generated());
        feed.pushed(d);
    }

    /**
     * Notes the epoch an answer or a bus message names (see {@link StoreEpochs}); a new store
     * resets what this node knows of it. False when the answer is stale.
     */
    private boolean sawEpoch(String epoch) {
        StoreEpochs.Seen seen = epochs.see(epoch);
        if (seen == StoreEpochs.Seen.CHANGED) {
            highest = null;
            presence.needFull();
            catchUp.newStore();
        }
        return seen != StoreEpochs.Seen.STALE;
    }

    private void saw(Cursor generated) {
        if (generated != null && (highest == null || generated.isAfter(highest))) highest = generated;
    }

    // ---- presence -----------------------------------------------------------------------

    @Override
    public Future<Void> listeners(Map<String, Integer> deltas) {
        return presenceCalls.listeners(deltas);
    }

    @Override
    public Future<OnlineTable> online(Predicate<String> wanted) {
        return presenceCalls.online(wanted);
    }

    @Override
    public Future<List<PresenceEvent>> eventsAfter(long pos) {
        return presenceCalls.eventsAfter(pos);
    }

    @Override
    public Future<Long> nextEventPosition() {
        return presenceCalls.call("", "", "").map(Replies.Presence::nextEventPosition);
    }

    /** What every presence answer tells: the store's epoch, its last cursor, and that Redis was reached. */
    private void answered(Replies.Presence r) {
        sawEpoch(r.epoch());
        saw(r.lastCursor());
        firstContact.countDown();
    }

    // ---- links, timers ------------------------------------------------------------------

    private void linkUp(RedisLink link) {
        if (link == commands) {
            presence.needFull();
            presenceCalls.flush();
        }
        catchUp.run();
        updateHealth();
    }

    private void linkDown(RedisLink link) {
        if (link == commands && subscriber.up()) {
            // a silent Redis keeps the subscription open but sends nothing: start both afresh
            subscriber.drop("the commands connection was lost");
        }
        updateHealth();
    }

    private void updateHealth() {
        healthy = commands.up() && subscriber.up() && !feed.resyncing() && !catchUp.due();
    }

    /** Redis's own tables are not counted here: the queue and presence gauges are left out. */
    @Override
    public org.realplexor.engine.EngineMetrics metrics() {
        return new org.realplexor.engine.EngineMetrics(
                -1,
                -1,
                -1,
                -1,
                -1,
                true,
                commands.up() && subscriber.up(),
                commands.reconnects() + subscriber.reconnects(),
                commands.commands() + subscriber.commands(),
                commands.commandNanos() + subscriber.commandNanos(),
                acks.unreplicated(),
                acks.timeouts());
    }

    @Override
    public void tick(long nowMillis) {
        if (closed) return;
        commands.tick(nowMillis);
        subscriber.tick(nowMillis);
        catchUp.runIfDue();
        if (nowMillis >= nextSweep && commands.up()) {
            nextSweep = nowMillis + knobs.sweepMs();
            presenceCalls.send(true);
        }
    }

    @Override
    public void apply(Settings s) {
        this.settings = s;
    }

    // ---- idempotent publishes ----------------------------------------------------------

    /** The key lives in Redis, checked and set in the publish's own atomic call (see {@link RedisPublishOnce}). */
    @Override
    public Future<OncePublished> publishOnce(
            String key, long windowMs, Map<String, Cursor> targets, Collection<String> limiters, byte[] data) {
        if (knobs.cluster()) {
            return RedisPublishOnce.runCluster(
                    commands,
                    knobs,
                    key,
                    windowMs,
                    () -> publish(targets, limiters, data).map(m -> RedisPublishOnce.inOrder(targets, m)));
        }
        List<Object> args = PublishArgs.of(knobs.prefix(), settings, targets, limiters, data, acks.refuseBelow(), 3);
        return RedisPublishOnce.run(commands, knobs.prefix(), key, windowMs, targets, args)
                .compose(r -> r.replay() != null
                        ? Future.succeededFuture(r.replay())
                        : stored(r.fresh()).map(p -> RedisPublishOnce.fresh(targets, p.generated())));
    }

    /** See {@link RedisBatches}. */
    @Override
    public Future<List<OncePublished>> publishBatch(List<Entry> entries, long windowMs) {
        return batches.publish(entries, windowMs, settings);
    }

    // ---- stats, close -------------------------------------------------------------------

    @Override
    public Future<Map<String, String>> stats() {
        return presenceCalls.call("", "stats", "").compose(r -> {
            String state = healthy ? "healthy" : "degraded (" + lastError() + ")";
            String here = "this node " + node + ", " + presence.ids().size() + " id(s) listened to here, now() "
                    + now().text() + ", last message handed " + feed.handed() + ", store epoch "
                    + epochs.describe();
            return StatsReport.render(commands, knobs, state, here, r, presence::get);
        });
    }

    private String lastError() {
        if (!commands.up()) return "commands: " + commands.lastError();
        if (!subscriber.up()) return "subscriber: " + subscriber.lastError();
        return "reading back missed messages";
    }

    /** Says goodbye (this node's listeners leave the counts at once), then closes both links. */
    @Override
    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        hub.runOnContext(v -> {
            if (closed) {
                done.tryComplete();
                return;
            }
            Future<?> bye = commands.up() ? presenceCalls.call("leave", "", "") : Future.succeededFuture();
            bye.eventually(() -> {
                        closed = true;
                        healthy = false;
                        return Future.all(commands.close(), subscriber.close());
                    })
                    .onComplete(ar -> done.tryComplete());
        });
        return done.future();
    }
}
