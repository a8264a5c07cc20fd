package org.realplexor.engine;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.realplexor.protocol.Cursor;

/**
 * The messages half of an {@link Engine}: queues under ids, their cursors, and every stored
 * message handed to the Hub. Called from the Hub's thread only; futures complete there.
 */
public interface MessageStore {

    /**
     * Stores one message under its targets. Targets mapped to null share one freshly generated
     * cursor; given cursors are stored as given. Queues rotate (MAX_DATA_FOR_ID keeps the highest
     * cursors) and expire (CLEAN_ID_AFTER after the last publish). Every stored message is then
     * handed to the {@link #onMessage} consumer, also when it was published elsewhere.
     */
    Future<StoredMessage> publish(Map<String, Cursor> targets, Collection<String> limiters, byte[] data);

    /** The cursor a listener that asked for "from now" starts at. */
    Cursor now();

    /**
     * The queued messages of each id with a cursor greater than the given one (ids with none are
     * absent), lowest cursor first: what a listener registering at these cursors is owed. A
     * shared store sends only these, never whole queues.
     */
    Future<Map<String, List<StoredMessage>>> queuedAfter(Map<String, Cursor> after);

    /** Called with every message stored anywhere, on the Hub's thread. */
    void onMessage(Consumer<StoredMessage> consumer);
}
