package org.realplexor.engine.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final LuaScript PRESENCE = new LuaScript(Scripts.PRESENCE);

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
    /** Epochs this node has moved on from: an answer naming one is stale. */
    private final Set<String> retiredEpochs = new HashSet<>();
    private long epochChanges;
    private Settings settings;
    private Cursor highest;
    private long nextSweep;
    private boolean flushing;
    private boolean resyncAgain;
    private boolean resyncDue;
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
        this.commands = new RedisLink(hubContext.owner(), this::onHub, knobs, "commands", null,
                c -> Future.succeededFuture(), events);
        this.subscriber = new RedisLink(hubContext.owner(), this::onHub, knobs, "subscriber", this::pushed,
                c -> c.send(Request.cmd(Command.SUBSCRIBE).arg(knobs.prefix() + CHANNEL)), events);
        this.acks = new ReplicaAcks(knobs);
        this.reads = new QueueReads(commands, knobs, feed.cache(), this::saw, this::sawEpoch);
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
            return ClusterPublish.run(commands, knobs, settings, acks, targets, limiters, data).compose(s -> stored(s.published())
                    .map(p -> new StoredMessage(data, new TreeMap<>(s.cursors()), new LinkedHashSet<>(limiters))));
        }
        List<Object> args = PublishArgs.of(knobs.prefix(), settings, targets, limiters, data, acks.refuseBelow(), 0);
        return PUBLISH.run(commands, args).compose(r -> stored(Replies.published(r))).map(p -> {
            Cursor generated = p.generated();
            SortedMap<String, Cursor> cursors = new TreeMap<>();
            targets.forEach((id, c) -> cursors.put(id, c == null ? generated : c));
            return new StoredMessage(data, cursors, new LinkedHashSet<>(limiters));
        });
    }

    /** What every store of a message does with publish.lua's reply: note its epoch and cursor, wait for replicas. */
    private Future<Replies.Published> stored(Replies.Published p) {
        sawEpoch(p.epoch());
        saw(p.generated());
        return acks.await(commands, p.replicas()).map(p);
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
     * The store's epoch as an answer or a bus message names it (null: a blob of an older
     * version, which names none). A new one means the numbers this node cached are not the
     * store's: the cache goes, and the queues of the ids listened to here are read back whole
     * (unless a read-back is under way: its answer carries the epoch it read in). False when the
     * epoch is one this node has moved on from: that answer is stale.
     */
    private boolean sawEpoch(String epoch) {
        if (epoch == null) return true;
        String known = feed.cache().epoch();
        if (epoch.equals(known)) return true;
        if (retiredEpochs.contains(epoch)) return false;
        feed.newEpoch(epoch);
        if (known.isEmpty()) return true;
        retiredEpochs.add(known);
        epochChanges++;
        highest = null;
        presence.needFull();
        log.warn("Redis at {} holds another store than before (epoch {}, was {}): cached messages dropped, "
                + "the queues of the ids listened to here are read again", knobs.safeUrl(), epoch, known);
        if (!feed.resyncing()) {
            resyncDue = true;
            updateHealth();
            onHub(() -> {
                if (resyncDue) resync();
            });
        }
        return true;
    }

    /** Reads back what the ids listened to here may have missed while the subscription was down. */
    private void resync() {
        resyncDue = false;
        if (!commands.up() || !subscriber.up() || closed) return;
        if (feed.resyncing()) {
            resyncAgain = true;
            return;
        }
        feed.beginResync();
        updateHealth();
        Map<String, Cursor> whole = new LinkedHashMap<>();
        for (String id : presence.ids()) whole.put(id, null);
        reads.read(whole).onComplete(ar -> {
            if (ar.succeeded() && !ar.result().epoch().equals(feed.cache().epoch())) {
                // the store changed again after this read: read once more
                feed.abortResync();
                resyncAgain = true;
            } else if (ar.succeeded()) {
                feed.endResync(new TreeMap<>(ar.result().bySeq()), ar.result().lastSeq());
            } else {
                log.warn("reading back missed messages failed: {}", ar.cause().getMessage());
                feed.abortResync();
                resyncDue = true;
            }
            updateHealth();
            if (resyncAgain) {
                resyncAgain = false;
                resync();
            }
        });
    }

    private void saw(Cursor generated) {
        if (generated != null && (highest == null || generated.isAfter(highest))) highest = generated;
    }

    // ---- presence -----------------------------------------------------------------------

    @Override
    public Future<Void> listeners(Map<String, Integer> deltas) {
        Future<Void> landed = presence.apply(deltas);
        flush();
        return landed;
    }

    private void flush() {
        sendPresence(false);
    }

    /**
     * Sends changed counts (with {@code heartbeat}, also when none changed). One batch in flight
     * at a time; changes meanwhile ride the next one.
     */
    private void sendPresence(boolean heartbeat) {
        if (flushing || !(heartbeat || presence.pending()) || !commands.up()) return;
        flushing = true;
        presenceCall("", "", "").onComplete(ar -> {
            flushing = false;
            if (ar.succeeded()) flush();
        });
    }

    /**
     * The presence call first (due timers end, this node's latest counts land), then the
     * cluster's totals in pages (see {@link HashPages}), never the whole hash in one answer.
     */
    @Override
    public Future<OnlineTable> online(Predicate<String> wanted) {
        return presenceCall("", "", "").compose(r -> {
            OnlineTable t = new OnlineTable();
            return HashPages.scan(commands, knobs.controlPrefix() + "online", (id, n) -> {
                if (wanted.test(id)) t.add(id, Integer.parseInt(n));
            }).map(v -> t);
        });
    }

    @Override
    public Future<List<PresenceEvent>> eventsAfter(long pos) {
        return presenceCall("", "events", Long.toString(pos)).map(r -> {
            List<PresenceEvent> out = new ArrayList<>();
            for (PresenceEvent e : r.events()) if (e.pos() > pos) out.add(e);
            return out;
        });
    }

    @Override
    public Future<Long> nextEventPosition() {
        return presenceCall("", "", "").map(Replies.Presence::nextEventPosition);
    }

    /**
     * The presence script: the cluster's timers, this node's heartbeat and whatever counts Redis
     * does not have yet, then {@code read}. {@code mode} "leave" says goodbye.
     */
    private Future<Replies.Presence> presenceCall(String mode, String read, String readArg) {
        PresenceCounts.Batch batch = presence.take();
        String m = mode.isEmpty() && batch.full() ? "full" : mode;
        List<Object> args = new ArrayList<>(8 + batch.pairs().size());
        args.add(knobs.controlPrefix());
        args.add(node);
        args.add(Long.valueOf(knobs.nodeTtlMs()));
        args.add(Long.valueOf(settings.offlineTimeoutMs()));
        args.add(Long.valueOf(settings.eventsKept()));
        args.add(m);
        args.add(read);
        args.add(readArg);
        args.addAll(batch.pairs());
        List<String> keys = knobs.cluster() ? List.of(knobs.controlPrefix() + "clock") : List.of();
        return PRESENCE.run(commands, keys, args).map(r -> Replies.presence(r, read)).andThen(ar -> {
            if (ar.failed()) {
                presence.failed(batch, ar.cause());
                return;
            }
            batch.done().tryComplete();
            Replies.Presence r = ar.result();
            sawEpoch(r.epoch());
            if (r.fresh() && !m.equals("full")) {
                // Redis did not know this node (reaped while unreachable, or the store was lost)
                presence.needFull();
                flush();
            }
            saw(r.lastCursor());
            firstContact.countDown();
        });
    }

    // ---- links, timers ------------------------------------------------------------------

    private void linkUp(RedisLink link) {
        if (link == commands) {
            presence.needFull();
            flush();
        }
        resync();
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
        healthy = commands.up() && subscriber.up() && !feed.resyncing() && !resyncDue;
    }

    /** Redis's own tables are not counted here: the queue and presence gauges are left out. */
    @Override
    public org.realplexor.engine.EngineMetrics metrics() {
        return new org.realplexor.engine.EngineMetrics(-1, -1, -1, -1, -1, true, commands.up() && subscriber.up(),
                commands.reconnects() + subscriber.reconnects(), commands.commands() + subscriber.commands(),
                commands.commandNanos() + subscriber.commandNanos(), acks.unreplicated(), acks.timeouts());
    }

    @Override
    public void tick(long nowMillis) {
        if (closed) return;
        commands.tick(nowMillis);
        subscriber.tick(nowMillis);
        if (resyncDue) resync();
        if (nowMillis >= nextSweep && commands.up()) {
            nextSweep = nowMillis + knobs.sweepMs();
            sendPresence(true);
        }
    }

    @Override
    public void apply(Settings s) {
        this.settings = s;
    }

    // ---- idempotent publishes ----------------------------------------------------------

    /** The key lives in Redis, checked and set in the publish's own atomic call (see {@link RedisPublishOnce}). */
    @Override
    public Future<OncePublished> publishOnce(String key, long windowMs, Map<String, Cursor> targets,
                                             Collection<String> limiters, byte[] data) {
        if (knobs.cluster()) {
            return RedisPublishOnce.runCluster(commands, knobs, key, windowMs, () -> publish(targets, limiters, data)
                    .map(m -> {
                        Map<String, Cursor> inOrder = new LinkedHashMap<>();
                        targets.keySet().forEach(id -> inOrder.put(id, m.cursors().get(id)));
                        return inOrder;
                    }));
        }
        List<Object> args = PublishArgs.of(knobs.prefix(), settings, targets, limiters, data, acks.refuseBelow(), 3);
        return RedisPublishOnce.run(commands, knobs.prefix(), key, windowMs, targets, args).compose(r -> r.replay() != null
                ? Future.succeededFuture(r.replay())
                : stored(r.fresh()).map(p -> RedisPublishOnce.fresh(targets, p.generated())));
    }

    // ---- batches ------------------------------------------------------------------------

    /**
     * A batch in one round trip (standalone and Sentinel): the publish (or publish-once) script
     * per message, pipelined, each call atomic on its own. The scripts are loaded first in the same
     * pipeline, so no call in it can meet NOSCRIPT (after which it could not be told which calls
     * had stored). Each reply goes through what a single publish does (epoch, cursor), and one
     * replica acknowledgement covers the whole batch, as Redis's WAIT covers every write before
     * it. On a Redis Cluster a message spans slots, so the batch is the messages one after another.
     */
    @Override
    public Future<List<OncePublished>> publishBatch(List<Entry> entries, long windowMs) {
        if (knobs.cluster()) return publishBatchInTurn(entries, 0, windowMs, new ArrayList<>(entries.size()));
        List<Request> requests = new ArrayList<>(entries.size() + 2);
        requests.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(Scripts.PUBLISH));
        boolean keyed = entries.stream().anyMatch(e -> e.key() != null);
        if (keyed) requests.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(RedisPublishOnce.SCRIPT));
        int first = requests.size();
        for (Entry e : entries) {
            List<Object> args = PublishArgs.of(knobs.prefix(), settings, e.targets(), e.limiters(), e.data(),
                    acks.refuseBelow(), e.key() == null ? 0 : 3);
            requests.add(e.key() == null ? PUBLISH.call(args)
                    : RedisPublishOnce.request(knobs.prefix(), e.key(), windowMs, e.targets(), args));
        }
        return commands.batch(requests).compose(replies -> {
            List<OncePublished> out = new ArrayList<>(entries.size());
            int replicas = Integer.MAX_VALUE;
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                Response r = replies.get(first + i);
                Replies.Published p;
                if (e.key() != null) {
                    RedisPublishOnce.Result once = RedisPublishOnce.decode(r);
                    if (once.replay() != null) {
                        out.add(once.replay());
                        continue;
                    }
                    p = once.fresh();
                } else {
                    p = Replies.published(r);
                }
                sawEpoch(p.epoch());
                saw(p.generated());
                replicas = Math.min(replicas, p.replicas());
                out.add(RedisPublishOnce.fresh(e.targets(), p.generated()));
            }
            if (replicas == Integer.MAX_VALUE) return Future.succeededFuture(out); // all replays: nothing written
            return acks.await(commands, replicas).map(v -> out);
        });
    }

    private Future<List<OncePublished>> publishBatchInTurn(List<Entry> entries, int from, long windowMs,
                                                          List<OncePublished> out) {
        if (from == entries.size()) return Future.succeededFuture(out);
        Entry e = entries.get(from);
        Future<OncePublished> one = e.key() != null
                ? publishOnce(e.key(), windowMs, e.targets(), e.limiters(), e.data())
                : publish(e.targets(), e.limiters(), e.data()).map(m -> {
                    Map<String, Cursor> inOrder = new LinkedHashMap<>();
                    e.targets().keySet().forEach(id -> inOrder.put(id, m.cursors().get(id)));
                    return new OncePublished(inOrder, false);
                });
        return one.compose(o -> {
            out.add(o);
            return publishBatchInTurn(entries, from + 1, windowMs, out);
        });
    }

    // ---- stats, close -------------------------------------------------------------------

    @Override
    public Future<Map<String, String>> stats() {
        return presenceCall("", "stats", "").compose(r -> {
            String state = healthy ? "healthy" : "degraded (" + lastError() + ")";
            String here = "this node " + node + ", " + presence.ids().size() + " id(s) listened to here, now() "
                    + now().text() + ", last message handed " + feed.handed() + ", store epoch "
                    + feed.cache().epoch() + " (changed " + epochChanges + " time(s) since start)";
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
            Future<?> bye = commands.up() ? presenceCall("leave", "", "") : Future.succeededFuture();
            bye.eventually(() -> {
                closed = true;
                healthy = false;
                return Future.all(commands.close(), subscriber.close());
            }).onComplete(ar -> done.tryComplete());
        });
        return done.future();
    }
}
