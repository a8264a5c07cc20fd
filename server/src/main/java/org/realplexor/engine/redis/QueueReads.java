package org.realplexor.engine.redis;

import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * Reads of the queues (the QUEUED script). One read is in flight at a time; reads asked for
 * meanwhile share the next script call, so a burst of reconnecting listeners costs a few calls,
 * not one each. Messages this node already has come back as numbers only and are taken from the
 * cache: the very instances handed to the Hub. Each answer names the store's epoch; one the
 * node had not seen empties the cache first (the script then sent every blob), one the node has
 * already left behind fails the read (the caller reads again).
 */
final class QueueReads {
    /** Most (id, cursor) pairs one call carries, so one call never holds Redis for long. */
    private static final int MAX_PAIRS = 1000;

    private static final LuaScript QUEUED = new LuaScript(Scripts.QUEUED);
    private static final LuaScript CLUSTER_CONTROL = new LuaScript(Scripts.CLUSTER_CONTROL);
    private static final LuaScript CLUSTER_QUEUED = new LuaScript(Scripts.CLUSTER_QUEUED);

    /** What one read found: per id its messages, the same by number, the last message number, the epoch. */
    record Result(Map<String, List<StoredMessage>> byId, Map<Long, StoredMessage> bySeq, long lastSeq, String epoch) {}

    private record Pending(Map<String, Cursor> after, Promise<Result> result) {}

    private final RedisLink commands;
    private final RedisKnobs knobs;
    private final MessageCache cache;
    private final Consumer<Cursor> sawGenerated;
    private final Predicate<String> sawEpoch;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean reading;

    /**
     * @param sawEpoch told each answer's epoch (it empties the cache when the epoch is new); false
     *                 when that epoch was left behind already
     */
    QueueReads(
            RedisLink commands,
            RedisKnobs knobs,
            MessageCache cache,
            Consumer<Cursor> sawGenerated,
            Predicate<String> sawEpoch) {
        this.commands = commands;
        this.knobs = knobs;
        this.cache = cache;
        this.sawGenerated = sawGenerated;
        this.sawEpoch = sawEpoch;
    }

    /** Per id, the messages with a cursor after the given one (null: the whole queue). */
    Future<Result> read(Map<String, Cursor> after) {
        Promise<Result> p = Promise.promise();
        waiting.add(new Pending(after, p));
        if (!reading) sendNext();
        return p.future();
    }

    private void sendNext() {
        if (waiting.isEmpty()) return;
        List<Pending> batch = new ArrayList<>();
        int pairs = 0;
        while (!waiting.isEmpty()
                && (batch.isEmpty() || pairs + waiting.peekFirst().after().size() <= MAX_PAIRS)) {
            Pending r = waiting.pollFirst();
            pairs += r.after().size();
            batch.add(r);
        }
        reading = true;
        run(batch, pairs).onComplete(v -> {
            reading = false;
            sendNext();
        });
    }

    private Future<Void> run(List<Pending> batch, int pairs) {
        if (knobs.cluster()) return runCluster(batch);
        MessageCache.Read pin = cache.beginRead();
        List<Object> args = new ArrayList<>(4 + 2 * pairs);
        args.add(knobs.prefix());
        args.add(pin.epoch());
        args.add(Long.valueOf(pin.from()));
        args.add(Long.valueOf(pin.to()));
        for (Pending read : batch) {
            read.after().forEach((id, c) -> {
                args.add(id);
                args.add(c == null ? "" : c.text());
            });
        }
        return QUEUED.run(commands, args)
                .andThen(ar -> {
                    try {
                        if (ar.failed()) {
                            for (Pending read : batch) read.result().fail(ar.cause());
                        } else {
                            answer(batch, pin, Replies.queued(ar.result()));
                        }
                    } finally {
                        cache.endRead(pin);
                    }
                })
                .mapEmpty();
    }

    /**
     * REDIS_MODE=cluster: the last number and the epoch from the control slot first (so a
     * resync's number is not above what the queues then hold), then one call per (id, cursor) on
     * the id's slot, all at once. Every blob comes back (numbers arrive out of order, so the
     * cache holds no unbroken range to leave out); the instance already handed is used for a
     * number the cache has, unless this id's copy carries another cursor for it (raised on its
     * slot): then the copy, so that a listener resumes from the cursor its queue has.
     */
    private Future<Void> runCluster(List<Pending> batch) {
        MessageCache.Read pin = cache.beginRead();
        String control = knobs.controlPrefix();
        return CLUSTER_CONTROL
                .run(commands, List.of(control + "clock"), List.of(control))
                .compose(c -> {
                    long lastSeq = Long.parseLong(c.get(0).toString());
                    String epoch = c.get(1).toString();
                    List<Future<Response>> calls = new ArrayList<>();
                    for (Pending read : batch) {
                        read.after().forEach((id, cursor) -> {
                            String base = knobs.idPrefix(id);
                            calls.add(CLUSTER_QUEUED.run(
                                    commands, List.of(base + "q"), List.of(base, cursor == null ? "" : cursor.text())));
                        });
                    }
                    return Future.all(calls).map(all -> {
                        answerCluster(batch, lastSeq, epoch, all);
                        return (Void) null;
                    });
                })
                .andThen(ar -> {
                    try {
                        if (ar.failed())
                            for (Pending read : batch) read.result().tryFail(ar.cause());
                    } finally {
                        cache.endRead(pin);
                    }
                })
                .otherwiseEmpty();
    }

    private void answerCluster(List<Pending> batch, long lastSeq, String epoch, CompositeFuture all) {
        if (!sawEpoch.test(epoch)) {
            throw new RedisLink.RedisDown(
                    "Redis at " + knobs.safeUrl() + " changed its data during the read; read again");
        }
        Map<Long, StoredMessage> fetched = new HashMap<>();
        int call = 0;
        for (Pending read : batch) {
            Map<String, List<StoredMessage>> byId = new HashMap<>();
            Map<Long, StoredMessage> bySeq = new HashMap<>();
            for (String id : read.after().keySet()) {
                Response blobs = all.resultAt(call++);
                List<StoredMessage> q = new ArrayList<>(blobs.size());
                for (Response b : blobs) {
                    MessageCodec.Decoded d = MessageCodec.decode(b.toBytes());
                    sawGenerated.accept(d.generated());
                    StoredMessage m = fetched.get(d.seq());
                    if (m == null) m = cache.get(d.seq());
                    Cursor own = d.message().cursors().get(id);
                    if (m == null || (own != null && !own.equals(m.cursors().get(id)))) m = d.message();
                    fetched.putIfAbsent(d.seq(), m);
                    q.add(m);
                    bySeq.putIfAbsent(d.seq(), m);
                }
                if (!q.isEmpty()) byId.put(id, q);
            }
            read.result().tryComplete(new Result(byId, bySeq, lastSeq, epoch));
        }
    }

    private void answer(List<Pending> batch, MessageCache.Read pin, Replies.Queued r) {
        long lastSeq = r.lastSeq();
        boolean current = sawEpoch.test(r.epoch());
        boolean sameEpoch = r.epoch().equals(pin.epoch());
        if (!current || (sameEpoch && !cache.intact(pin))) {
            // answered from a store this node has left, or numbers sent bare name messages dropped since
            RuntimeException stale = new RedisLink.RedisDown(
                    "Redis at " + knobs.safeUrl() + " changed its data during the read; read again");
            for (Pending read : batch) read.result().fail(stale);
            return;
        }
        if (sameEpoch && lastSeq < pin.to()) {
            // numbering began again without a new epoch (it should not): the numbers asked about are not ours
            cache.gap(lastSeq);
            RuntimeException lost =
                    new RedisLink.RedisDown("Redis at " + knobs.safeUrl() + " lost its data; read again");
            for (Pending read : batch) read.result().fail(lost);
            return;
        }
        Map<Long, StoredMessage> fetched = new HashMap<>();
        for (byte[] b : r.blobs()) {
            long seq = MessageCodec.seqOf(b);
            StoredMessage known = cache.get(seq);
            if (known != null) {
                fetched.put(seq, known);
                continue;
            }
            MessageCodec.Decoded d = MessageCodec.decode(b);
            sawGenerated.accept(d.generated());
            fetched.put(seq, d.message());
        }
        int list = 0;
        for (Pending read : batch) {
            Map<String, List<StoredMessage>> byId = new HashMap<>();
            Map<Long, StoredMessage> bySeq = new HashMap<>();
            for (String id : read.after().keySet()) {
                List<Long> seqs = r.seqs().get(list++);
                if (seqs.isEmpty()) continue;
                List<StoredMessage> q = new ArrayList<>(seqs.size());
                for (long seq : seqs) {
                    StoredMessage m = fetched.get(seq);
                    if (m == null) m = cache.get(seq);
                    if (m == null) continue;
                    q.add(m);
                    bySeq.put(seq, m);
                }
                byId.put(id, q);
            }
            read.result().complete(new Result(byId, bySeq, lastSeq, r.epoch()));
        }
    }
}
