package org.realplexor.hub;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.realplexor.config.Settings;
import org.realplexor.engine.Engine;
import org.realplexor.engine.Slices;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.Item;
import org.realplexor.protocol.PublishBatch;
import org.realplexor.protocol.StatsText;
import org.realplexor.protocol.WaitAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules: who listens to what from which cursor, what a listener may see, when a poll is
 * answered or timed out. All state lives on one event loop ({@link #loop}); public methods may be
 * called from any thread and hop there. Storage goes through the {@link Engine}.
 */
public final class Hub {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    private static final long TICK_MILLIS = 50;

    private final EventExecutor loop;
    private final Engine engine;
    private final ListenersById byId = new ListenersById();
    private final Set<Listener> streams = new LinkedHashSet<>();
    private final PollDeadlines deadlines = new PollDeadlines();
    private final SharedRenders renders = new SharedRenders();
    private long nextHeartbeat;
    private Settings settings;
    private ScheduledFuture<?> ticker;
    private final HubCounters counts = new HubCounters();
    private final Commands commands;
    /** Told, once per message that went to listeners, how long handing it to them took (ns). */
    private java.util.function.LongConsumer deliveryTimes = ns -> {};

    public Hub(EventExecutor loop, Engine engine, Settings settings) {
        this.loop = loop;
        this.engine = engine;
        this.settings = settings;
        this.commands = new Commands(loop, engine, byId, counts);
    }

    public void start() {
        onLoop(() -> {
            engine.onMessage(this::deliver);
            // The first heartbeat is one STREAM_HEARTBEAT after start, as every later one.
            nextHeartbeat = System.currentTimeMillis() + settings.streamHeartbeatMs();
            ticker = loop.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    // ---- listeners ----------------------------------------------------------------------

    /** Registers a WAIT connection; it may be answered at once from what is queued. */
    public void register(Listener l) {
        onLoop(() -> doRegister(l));
    }

    /** The connection went away (closed, failed) before or after its answer. */
    public void unregister(Listener l) {
        onLoop(() -> finish(l));
    }

    /**
     * A long-poll's client half-closed: the poll ends now, but an answer it is owed from what was
     * queued at its registration still goes out (the original answered in the same step that
     * read the request, so a client that sends and half-closes at once got its messages).
     */
    public void inputEnded(Listener l) {
        onLoop(() -> {
            if (l.done()) return;
            if (l.readingBacklog()) {
                l.endAfterBacklog();
                return;
            }
            endWithoutMessage(l);
        });
    }

    /** WAIT bytes arrived on a held long-poll: WAIT_TIMEOUT counts inactivity, so it starts again. */
    public void touch(Listener l) {
        onLoop(() -> {
            if (!l.held() || l.streaming()) return;
            deadlines.remove(l);
            deadlines.add(l, PollDeadlines.now() + settings.waitTimeoutMs());
        });
    }

    private void doRegister(Listener l) {
        if (l.done()) return;
        Map<String, Integer> deltas = new LinkedHashMap<>(); // events in the request's order
        for (int i = 0; i < l.ids.length; i++) {
            if (l.cursors[i] == null) l.cursors[i] = engine.now();
            byId.add(l.ids[i], l);
            deltas.put(l.ids[i], 1);
        }
        l.registered();
        counts.connected++;
        engine.listeners(deltas);
        if (l.streaming()) {
            streams.add(l);
            l.started(ListenerParts.cursorMap(l));
        } else {
            deadlines.add(l, PollDeadlines.now() + settings.waitTimeoutMs());
        }
        l.backlogAsked();
        engine.queuedAfter(ListenerParts.cursorMap(l)).onComplete(ar -> answerBacklog(l, ar));
    }

    /** The queued messages a registration asked for are read: it gets what it has not seen. */
    private void answerBacklog(Listener l, AsyncResult<Map<String, List<StoredMessage>>> read) {
        boolean endAfterBacklog = l.backlogRead();
        if (l.done()) return;
        if (read.failed())
            log.warn("reading queued messages failed: {}", read.cause().toString());
        BacklogAnswer a =
                BacklogAnswer.of(l, read.succeeded() ? read.result().values() : List.of(), settings.answerMaxBytes());
        if (a.parts().isEmpty()) {
            if (endAfterBacklog) endWithoutMessage(l);
            return;
        }
        send(l, a.parts(), renders.backlog(), a.shareKey());
        if (a.endStream()) {
            finish(l);
            l.endAfterWrites();
        }
    }

    /** Lets go of {@code l} and ends it without a message (a long-poll with the head alone). */
    private void endWithoutMessage(Listener l) {
        finish(l);
        l.endWithoutMessage();
    }

    /** Removes {@code l} everywhere; its ids may start their offline countdown. */
    private void finish(Listener l) {
        if (l.done()) return;
        boolean wasRegistered = l.letGo();
        deadlines.remove(l);
        if (!wasRegistered) return;
        counts.connected--;
        if (l.streaming()) streams.remove(l);
        Map<String, Integer> deltas = new LinkedHashMap<>(); // events in the request's order
        for (String id : l.ids) {
            byId.remove(id, l);
            deltas.put(id, -1);
        }
        engine.listeners(deltas);
    }

    /**
     * Every stored message comes here once, wherever it was published. Timed once per message,
     * not per listener: from here to the last answer handed to its channel.
     */
    private void deliver(StoredMessage m) {
        long started = System.nanoTime();
        Map<Object, ByteBuf> bodies = null;
        for (Listener l : byId.listenersOf(m.cursors().keySet(), m)) {
            l.mark = null;
            if (l.done()) continue;
            TreeMap<String, Cursor> ids = ListenerParts.qualifying(l, m);
            if (ids == null || !ListenerParts.visible(m, l)) continue;
            if (l.readingBacklog()) {
                l.hold(m);
                continue;
            }
            List<WaitAnswer.Part> parts = List.of(new WaitAnswer.Part(ids, m.data()));
            if (bodies == null) bodies = new HashMap<>();
            send(l, parts, bodies, ListenerParts.shareKey(l, parts));
        }
        if (bodies != null) {
            bodies.values().forEach(ByteBuf::release);
            deliveryTimes.accept(System.nanoTime() - started);
        }
    }

    /**
     * Hands parts to a listener; a long-poll is then done. With {@code shared} (one message to
     * many listeners), listeners that get the same bytes share one render, never a copy each.
     */
    private void send(Listener l, List<WaitAnswer.Part> parts, Map<Object, ByteBuf> shared, Object key) {
        counts.deliveries += parts.size();
        if (l.streaming()) {
            ListenerParts.advance(l, parts);
        } else {
            finish(l);
            counts.pollsAnswered++;
        }
        ByteBuf bytes = SharedRenders.of(l, parts, shared, key);
        if (bytes == null) {
            l.endWithoutMessage();
            return;
        }
        if (l.streaming()) l.pushRendered(bytes);
        else l.answer(bytes);
        if (key == null) bytes.release();
    }

    // ---- publishing and commands --------------------------------------------------------

    /**
     * Stores one message under the list's targets. {@code login} (null for guests) limits the
     * targets to ids starting with {@code LOGIN_}; other targets are skipped silently. With an
     * idempotency key (null: none), a publish whose key the same login used within
     * IDEMPOTENCY_WINDOW is not stored again and gets the first one's cursors (see {@link PublishOnce}).
     */
    public Future<PublishResult> publish(List<Item> items, String login, byte[] data, String idempotencyKey) {
        return call(() -> commands.publish(items, login, data, idempotencyKey, settings));
    }

    /**
     * A batch: each message stored as a publish of its own (its targets, cursors and limiters, the
     * login's scope), all in one task on the Hub's thread and, where the engine can, one round
     * trip to the store. The results are in the messages' order. With {@code idempotencyKey},
     * each message is remembered under its own key ({@link org.realplexor.protocol.IdempotencyKey#ofBatchMessage}).
     */
    public Future<List<PublishResult>> publishBatch(
            List<PublishBatch.Message> messages, String login, String idempotencyKey) {
        return call(() -> BatchCommand.run(commands, engine, counts, messages, login, idempotencyKey, settings));
    }

    /** {@link #publish(List, String, byte[], String)} without an idempotency key. */
    public Future<PublishResult> publish(List<Item> items, String login, byte[] data) {
        return publish(items, login, data, null);
    }

    /**
     * The ONLINE answer body: complete, however many ids are online. The Hub's thread only
     * collects the rows (one quick pass, or pages from Redis); sorting and printing a big table
     * happen off it, so deliveries go on meanwhile.
     */
    public Future<String> online(String login, List<String> prefixes) {
        return call(() -> commands.online(login, prefixes));
    }

    /** The WATCH answer body. */
    public Future<String> watch(String login, String pos, List<String> prefixes) {
        return call(() -> commands.watch(login, pos, prefixes));
    }

    /**
     * The STATS answer body: the engine's tables plus the listeners held here, each section
     * bounded (see {@link StatsText#MAX_LINES}) and each table walked in slices (see
     * {@link Slices}), so messages are delivered meanwhile.
     */
    public Future<String> stats() {
        return call(commands::stats);
    }

    // ---- time, settings, shutdown -------------------------------------------------------

    /** WAIT_TIMEOUT passed for a poll that got nothing: it ends with the head alone. */
    private void expire(Listener l) {
        if (l.done()) return;
        counts.timeouts++;
        endWithoutMessage(l);
    }

    private void tick() {
        long now = System.currentTimeMillis();
        renders.sweep();
        deadlines.expire(PollDeadlines.now(), this::expire);
        engine.tick(now);
        if (now >= nextHeartbeat) {
            nextHeartbeat = now + settings.streamHeartbeatMs();
            for (Listener l : streams) l.heartbeat();
        }
    }

    public void apply(Settings s) {
        onLoop(() -> {
            deadlines.shift(s.waitTimeoutMs() - settings.waitTimeoutMs());
            settings = s;
            engine.apply(s);
        });
    }

    /**
     * Ends every held poll and stream, spread over {@code spreadMillis} (each at its own moment,
     * see {@link DrainSpread}), then stops the timers and the engine. Until its moment a poll is
     * served as usual (a message still answers it).
     */
    public Future<Void> shutdown(long spreadMillis) {
        return call(() -> DrainSpread.run(loop, new ArrayList<>(byId.all()), spreadMillis, l -> {
                    if (!l.done()) endWithoutMessage(l);
                })
                .compose(v -> {
                    // A poll accepted just before listening stopped may have registered since.
                    for (Listener l : byId.all()) endWithoutMessage(l);
                    if (ticker != null) ticker.cancel(false);
                    renders.releaseAll();
                    return engine.close();
                }));
    }

    /** Counters for the admin listener, read on the Hub's thread. */
    public Future<HubMetrics> metrics() {
        return call(() -> Future.succeededFuture(
                counts.snapshot(byId.ids(), streams.size(), engine.healthy(), engine.metrics())));
    }

    /** Whether the engine reaches its store; any thread (for /health/ready). */
    public boolean engineHealthy() {
        return engine.healthy();
    }

    /** Where the time of each message's hand-out goes (the metrics' histogram); called on the Hub's thread. */
    public void onDeliveryTimed(java.util.function.LongConsumer nanos) {
        onLoop(() -> deliveryTimes = nanos);
    }

    private void onLoop(Runnable r) {
        OnLoop.run(loop, r);
    }

    private <T> Future<T> call(Supplier<Future<T>> body) {
        return OnLoop.call(loop, body);
    }
}
