package org.realplexor.engine.journal;

import java.util.List;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * The records of the journal and the snapshot, as {@link RecordCodec} reads and writes them. A
 * journal file is a {@link JournalHead} then changes ({@link Stored}, {@link Dropped},
 * {@link Event}); a snapshot is a {@link SnapshotHead}, the messages, the queues (naming messages
 * by their place among the snapshot's messages), the presence countdowns, the events and an
 * {@link SnapshotEnd}.
 */
public sealed interface JournalRecord {

    /** The first record of journal file {@code generation}. */
    record JournalHead(long generation) implements JournalRecord {}

    /** A publish as the engine stored it; {@code generated} is the cursor the clock made, or null. */
    record Stored(long millis, Cursor generated, StoredMessage message) implements JournalRecord {}

    /** A queue dropped by CLEAN_ID_AFTER. */
    record Dropped(long millis, String id) implements JournalRecord {}

    /** A presence event (also the snapshot's event log, one record each). */
    record Event(PresenceEvent event) implements JournalRecord {}

    /**
     * The first record of a snapshot: it holds everything up to journal file {@code generation},
     * which (and later ones) hold what came after.
     */
    record SnapshotHead(int version, long generation, long writtenMillis, Cursor lastGenerated, long nextEventPos)
            implements JournalRecord {}

    /** A message of the snapshot; queues name it by its place (0, 1, ...) among these. */
    record SnapshotMessage(StoredMessage message) implements JournalRecord {}

    /** A queue of the snapshot: its messages by place, lowest cursor first. */
    record SnapshotQueue(String id, long lastPublishMillis, List<Integer> messages) implements JournalRecord {
        public SnapshotQueue {
            messages = List.copyOf(messages);
        }
    }

    /** An id online or counting down (see {@link org.realplexor.engine.LocalState.Countdown}). */
    record SnapshotPresence(String id, long offlineAt) implements JournalRecord {}

    /** The last record of a complete snapshot, with how many came before it. */
    record SnapshotEnd(long records) implements JournalRecord {}
}
