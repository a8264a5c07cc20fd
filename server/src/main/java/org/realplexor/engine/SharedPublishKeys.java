package org.realplexor.engine;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import org.realplexor.protocol.Cursor;

/**
 * An engine whose nodes share their idempotency keys (cluster mode): it checks the key, stores
 * the message and remembers the answer in one atomic step of its store, so two nodes that
 * receive the same key at once store the message once. An engine without it (the embedded one)
 * leaves the keys to the Hub, which keeps them on its own thread.
 */
public interface SharedPublishKeys {

    /**
     * Stores the message as {@link MessageStore#publish} does, unless a publish with {@code key}
     * was stored within the last {@code windowMs}: then nothing is stored and the answer is that
     * publish's cursors. Called on the Hub's thread; the future completes there.
     *
     * @param key the key within its login's scope ({@link org.realplexor.protocol.IdempotencyKey#scoped})
     */
    Future<OncePublished> publishOnce(
            String key, long windowMs, Map<String, Cursor> targets, Collection<String> limiters, byte[] data);
}
