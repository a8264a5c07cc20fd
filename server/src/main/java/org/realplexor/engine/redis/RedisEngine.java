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
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
 */
public final class RedisEngine implements Engine, SharedPublishKeys {
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
    private final MessageFeed feed = new MessageFeed();
    private final CursorClock localClock = new CursorClock();
    private final CountDownLatch firstContact = new CountDownLatch(1);
    private final QueueReads reads;
    private Settings settings;
    private Cursor highest;
    private long nextSweep;
    private boolean flushing;
    private boolean resyncAgain;
    private boolean resyncDue;
    private boolean closed;
    private volatile boolean healthy;

    /** Connects on {@code hubContext}; waits up to REDIS_TIMEOUT for Redis, then runs degraded. */
    public RedisEngine(Context hubContext, Settings settings) throws InterruptedException {
        this.hub = hubContext;
        this.settings = settings;
        this.knobs = RedisKnobs.from(settings);
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
        this.reads = new QueueReads(commands, knobs, feed.cache(), this::saw);
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
        List<Object> args = new ArrayList<>(8 + 2 * targets.size() + limiters.size());
        args.add(knobs.prefix());
        args.add(Long.valueOf(settings.maxDataForId()));
        args.add(Long.valueOf(settings.cleanIdAfterMs()));
        args.add(Long.valueOf(targets.size()));
        targets.forEach((id, c) -> {
            args.add(id);
            args.add(c == null ? "" : c.text());
        });
        args.add(Long.valueOf(limiters.size()));
        args.addAll(limiters);
        args.add(data);
        return PUBLISH.run(commands, args).map(r -> {
            Cursor generated = Replies.published(r).generated();
            saw(generated);
            SortedMap<String, Cursor> cursors = new TreeMap<>();
            targets.forEach((id, c) -> cursors.put(id, c == null ? generated : c));
            return new StoredMessage(data, cursors, new LinkedHashSet<>(limiters));
        });
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
        saw(d.generated());
        feed.pushed(d);
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
            if (ar.succeeded()) {
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
            return HashPages.scan(commands, knobs.prefix() + "online", (id, n) -> {
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
        args.add(knobs.prefix());
        args.add(node);
        args.add(Long.valueOf(knobs.nodeTtlMs()));
        args.add(Long.valueOf(settings.offlineTimeoutMs()));
        args.add(Long.valueOf(settings.eventsKept()));
        args.add(m);
        args.add(read);
        args.add(readArg);
        args.addAll(batch.pairs());
        return PRESENCE.run(commands, args).map(r -> Replies.presence(r, read)).andThen(ar -> {
            if (ar.failed()) {
                presence.failed(batch, ar.cause());
                return;
            }
            batch.done().tryComplete();
            Replies.Presence r = ar.result();
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
                commands.commandNanos() + subscriber.commandNanos());
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
        return RedisPublishOnce.run(commands, knobs.prefix(), settings, key, windowMs, targets, limiters, data).map(r -> {
            saw(r.generated());
            return r.answer();
        });
    }

    // ---- stats, close -------------------------------------------------------------------

    @Override
    public Future<Map<String, String>> stats() {
        return presenceCall("", "stats", "").compose(r -> {
            String state = healthy ? "healthy" : "degraded (" + lastError() + ")";
            String here = "this node " + node + ", " + presence.ids().size() + " id(s) listened to here, now() "
                    + now().text() + ", last message handed " + feed.handed();
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
