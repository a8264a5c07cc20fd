package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * Reads of the queues (the QUEUED script). One read is in flight at a time; reads asked for
 * meanwhile share the next script call, so a burst of reconnecting listeners costs a few calls,
 * not one each. Messages this node already has come back as numbers only and are taken from the
 * cache: the very instances handed to the Hub.
 */
final class QueueReads {
    /** Most (id, cursor) pairs one call carries, so one call never holds Redis for long. */
    private static final int MAX_PAIRS = 1000;
    private static final LuaScript QUEUED = new LuaScript(Scripts.QUEUED);

    /** What one read found: per id its messages, the same by number, the last message number. */
    record Result(Map<String, List<StoredMessage>> byId, Map<Long, StoredMessage> bySeq, long lastSeq) {
    }

    private record Pending(Map<String, Cursor> after, Promise<Result> result) {
    }

    private final RedisLink commands;
    private final RedisKnobs knobs;
    private final MessageCache cache;
    private final Consumer<Cursor> sawGenerated;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean reading;

    QueueReads(RedisLink commands, RedisKnobs knobs, MessageCache cache, Consumer<Cursor> sawGenerated) {
        this.commands = commands;
        this.knobs = knobs;
        this.cache = cache;
        this.sawGenerated = sawGenerated;
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
        while (!waiting.isEmpty() && (batch.isEmpty() || pairs + waiting.peekFirst().after().size() <= MAX_PAIRS)) {
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
        MessageCache.Read pin = cache.beginRead();
        List<Object> args = new ArrayList<>(3 + 2 * pairs);
        args.add(knobs.prefix());
        args.add(Long.valueOf(pin.from()));
        args.add(Long.valueOf(pin.to()));
        for (Pending read : batch) {
            read.after().forEach((id, c) -> {
                args.add(id);
                args.add(c == null ? "" : c.text());
            });
        }
        return QUEUED.run(commands, args).andThen(ar -> {
            try {
                if (ar.failed()) {
                    for (Pending read : batch) read.result().fail(ar.cause());
                } else {
                    answer(batch, pin, Replies.queued(ar.result()));
                }
            } finally {
                cache.endRead(pin);
            }
        }).mapEmpty();
    }

    private void answer(List<Pending> batch, MessageCache.Read pin, Replies.Queued r) {
        long lastSeq = r.lastSeq();
        if (lastSeq < pin.to()) {
            // numbering began again: the store was lost, the numbers asked about are not ours
            cache.gap(lastSeq);
            RuntimeException lost = new RedisLink.RedisDown("Redis at " + knobs.safeUrl() + " lost its data; read again");
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
            read.result().complete(new Result(byId, bySeq, lastSeq));
        }
    }
}
