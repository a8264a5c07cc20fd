package org.realplexor.engine;

import io.vertx.core.Future;
import org.realplexor.protocol.Cursor;

/**
 * Where {@link LocalEngine} reports every change of its state that a restart must find again
 * (DATA_DIR: engine/journal writes them to disk). Called on the Hub's thread only.
 */
public interface LocalJournal {

    /** No journal: the state lives in memory only (DATA_DIR empty). */
    LocalJournal OFF = new LocalJournal() {};

    /**
     * A message was stored. Returns null when the publish may be answered at once, or a future
     * that completes on the Hub's thread when the message is on disk (JOURNAL_FSYNC=always).
     *
     * @param generated the cursor the clock made for it, null when every target gave its own
     */
    default Future<Void> stored(long millis, Cursor generated, StoredMessage m) {
        return null;
    }

    /** A queue was dropped (CLEAN_ID_AFTER). */
    default void dropped(long millis, String id) {}

    /** A presence event was logged. */
    default void event(PresenceEvent e) {}

    /** Asked on every tick: whether the journal has grown enough beside {@code liveBytes} of state to be rewritten. */
    default boolean wantsCompaction(long liveBytes) {
        return false;
    }

    /** Makes {@code state} the new starting point and the journal fresh (the writing goes off the Hub's thread). */
    default void compact(LocalState state) {}

    /** The engine stops: {@code state} is written whole, the journal closed. */
    default void close(LocalState state) {}
}
