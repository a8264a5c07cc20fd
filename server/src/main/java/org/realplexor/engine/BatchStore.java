package org.realplexor.engine;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.realplexor.protocol.Cursor;

/**
 * An engine that stores a list of messages in one round trip to its store (cluster mode: one
 * pipelined batch of the per-message publish calls). The embedded engine has no round trip to
 * save: the Hub publishes a batch there one message after another, in the same task.
 */
public interface BatchStore {

    /**
     * One message of a batch, as {@link MessageStore#publish} takes it.
     *
     * @param key its idempotency key within its login's scope, or null (see {@link SharedPublishKeys})
     */
    record Entry(Map<String, Cursor> targets, Collection<String> limiters, byte[] data, String key) {}

    /**
     * Stores the entries in order, each as a publish (or a keyed publish) of its own, and answers
     * each one's cursors in target order. Not atomic as a whole: should the store fail half way,
     * the messages before the failure stay stored (keys make a retry safe). Called on the Hub's
     * thread; the future completes there.
     */
    Future<List<OncePublished>> publishBatch(List<Entry> entries, long windowMs);
}
