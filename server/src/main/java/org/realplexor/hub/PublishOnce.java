package org.realplexor.hub;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.realplexor.config.Settings;
import org.realplexor.engine.Engine;
import org.realplexor.engine.SharedPublishKeys;
import org.realplexor.protocol.Cursor;

/**
 * The road of a publish that carries an idempotency key, on the Hub's thread. An engine whose
 * nodes share their keys ({@link SharedPublishKeys}, cluster mode) checks and stores in one
 * atomic step; otherwise the keys live here ({@link PublishKeys}).
 *
 * <p>A retry that arrives while the first publish with its key is still under way waits for that
 * publish's answer and gets the same one (or the same failure), never a second store. In cluster
 * mode there is nothing to wait for: the store runs one keyed publish at a time, so the later one
 * finds the key with its answer.
 */
final class PublishOnce {
    private final SharedPublishKeys shared;
    private final PublishKeys local = new PublishKeys();
    private final HubCounters counts;

    PublishOnce(Engine engine, HubCounters counts) {
        this.shared = engine instanceof SharedPublishKeys s ? s : null;
        this.counts = counts;
    }

    /**
     * The cursors of the key's first publish.
     *
     * @param key   scoped to the publisher's login
     * @param store stores the message and gives its cursors in target order (counted as a publish);
     *              used when the keys live here
     */
    Future<Map<String, Cursor>> publish(
            String key,
            Settings s,
            Map<String, Cursor> targets,
            Collection<String> limiters,
            byte[] data,
            Supplier<Future<Map<String, Cursor>>> store) {
        long window = s.idempotencyWindowMs();
        if (shared != null) {
            return shared.publishOnce(key, window, targets, limiters, data).map(r -> {
                if (!r.replay()) counts.publishes++;
                return r.cursors();
            });
        }
        Future<Map<String, Cursor>> known =
                local.claim(key, targets, System.nanoTime() / 1_000_000, window, s.idempotencyBytes());
        if (known != null) return known;
        Future<Map<String, Cursor>> stored;
        try {
            stored = store.get();
        } catch (RuntimeException e) {
            local.failed(key, e); // a claim left pending would hold its retries for ever
            throw e;
        }
        return stored.andThen(ar -> {
            if (ar.succeeded()) local.stored(key, ar.result());
            else local.failed(key, ar.cause());
        });
    }
}
