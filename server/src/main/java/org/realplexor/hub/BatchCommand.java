package org.realplexor.hub;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.realplexor.config.Settings;
import org.realplexor.engine.BatchStore;
import org.realplexor.engine.Engine;
import org.realplexor.engine.OncePublished;
import org.realplexor.protocol.IdempotencyKey;
import org.realplexor.protocol.PublishBatch;
import org.realplexor.protocol.PublishTargets;

/**
 * A batched publish as the Hub serves it (see {@link Hub#publishBatch}), on the Hub's thread: an
 * engine that stores batches ({@link BatchStore}, Redis: one round trip) gets them whole; any
 * other stores each message as a publish of its own, all started in this one task.
 */
final class BatchCommand {
    private BatchCommand() {}

    static Future<List<PublishResult>> run(
            Commands commands,
            Engine engine,
            HubCounters counts,
            List<PublishBatch.Message> messages,
            String login,
            String idempotencyKey,
            Settings s) {
        List<PublishTargets> asked = new ArrayList<>(messages.size());
        for (PublishBatch.Message m : messages) asked.add(PublishTargets.of(m.items(), login));
        if (engine instanceof BatchStore store)
            return through(store, counts, messages, asked, login, idempotencyKey, s);
        List<Future<PublishResult>> each = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String key = idempotencyKey == null ? null : IdempotencyKey.ofBatchMessage(idempotencyKey, i + 1);
            each.add(commands.publish(asked.get(i), login, messages.get(i).data(), key, s));
        }
        return Future.join(each)
                .map(all -> {
                    List<PublishResult> out = new ArrayList<>(each.size());
                    for (Future<PublishResult> f : each) out.add(f.result());
                    return out;
                })
                .recover(e -> {
                    // the first message that failed says why (join's own error names none)
                    for (Future<PublishResult> f : each) if (f.failed()) return Future.failedFuture(f.cause());
                    return Future.failedFuture(e);
                });
    }

    private static Future<List<PublishResult>> through(
            BatchStore store,
            HubCounters counts,
            List<PublishBatch.Message> messages,
            List<PublishTargets> asked,
            String login,
            String idempotencyKey,
            Settings s) {
        List<BatchStore.Entry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            PublishTargets a = asked.get(i);
            if (a.targets().isEmpty()) continue;
            String key = idempotencyKey == null
                    ? null
                    : IdempotencyKey.scoped(login, IdempotencyKey.ofBatchMessage(idempotencyKey, i + 1));
            entries.add(new BatchStore.Entry(
                    a.targets(), a.limiters(), messages.get(i).data(), key));
        }
        Future<List<OncePublished>> stored = entries.isEmpty()
                ? Future.succeededFuture(List.of())
                : store.publishBatch(entries, s.idempotencyWindowMs());
        return stored.map(results -> {
            List<PublishResult> out = new ArrayList<>(messages.size());
            int next = 0;
            for (PublishTargets a : asked) {
                if (a.targets().isEmpty()) {
                    out.add(new PublishResult(Map.of()));
                    continue;
                }
                OncePublished r = results.get(next++);
                if (!r.replay()) counts.publishes++;
                out.add(new PublishResult(r.cursors()));
            }
            return out;
        });
    }
}
