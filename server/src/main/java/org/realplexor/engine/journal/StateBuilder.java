package org.realplexor.engine.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.realplexor.engine.LocalState;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * Folds a snapshot's records and then the journal's into the state they describe: pure, no
 * files. Publishes are queued, rotated and dropped by the rules the engine keeps (the cursor
 * order of ChannelQueue, MAX_DATA_FOR_ID keeping the highest cursors, CLEAN_ID_AFTER drops as
 * the journal recorded them), so that replaying gives the queues the engine had.
 */
final class StateBuilder {
    private final int maxDataForId;
    private final int eventsKept;
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Long> presence = new LinkedHashMap<>();
    private final ArrayDeque<PresenceEvent> events = new ArrayDeque<>();
    private final List<StoredMessage> snapshotMessages = new ArrayList<>();
    private Cursor lastGenerated;
    private long nextEventPos = 10;
    /** Snapshot entries that named a message the snapshot does not hold (damage). */
    long unknownPlaces;
    /** The snapshot's head, when one was read. */
    JournalRecord.SnapshotHead head;

    boolean snapshotEnded;
    /** Set while the records come from a snapshot, not a journal. */
    boolean readingSnapshot;

    private static final class Queue {
        long lastPublishMillis;
        final ArrayList<StoredMessage> messages = new ArrayList<>();
    }

    StateBuilder(int maxDataForId, int eventsKept) {
        this.maxDataForId = maxDataForId;
        this.eventsKept = eventsKept;
    }

    void apply(JournalRecord r) {
        if (r instanceof JournalRecord.Stored s) {
            stored(s);
        } else if (r instanceof JournalRecord.Dropped d) {
            queues.remove(d.id());
        } else if (r instanceof JournalRecord.Event e) {
            event(e.event());
        } else if (r instanceof JournalRecord.SnapshotHead h) {
            head = h;
            raise(h.lastGenerated());
            nextEventPos = Math.max(nextEventPos, h.nextEventPos());
        } else if (r instanceof JournalRecord.SnapshotMessage m) {
            snapshotMessages.add(m.message());
        } else if (r instanceof JournalRecord.SnapshotQueue q) {
            Queue to = new Queue();
            to.lastPublishMillis = q.lastPublishMillis();
            for (int at : q.messages()) {
                if (at >= 0 && at < snapshotMessages.size()) to.messages.add(snapshotMessages.get(at));
                else unknownPlaces++;
            }
            queues.put(q.id(), to);
        } else if (r instanceof JournalRecord.SnapshotPresence p) {
            presence.put(p.id(), p.offlineAt());
        } else if (r instanceof JournalRecord.SnapshotEnd) {
            snapshotEnded = true;
        }
        // a JournalHead changes nothing
    }

    private void stored(JournalRecord.Stored s) {
        raise(s.generated());
        StoredMessage m = s.message();
        for (Map.Entry<String, Cursor> e : m.cursors().entrySet()) {
            Queue q = queues.computeIfAbsent(e.getKey(), k -> new Queue());
            ArrayList<StoredMessage> list = q.messages;
            int i = list.size();
            while (i > 0 && list.get(i - 1).cursors().get(e.getKey()).compareTo(e.getValue()) > 0) i--;
            list.add(i, m);
            while (list.size() > maxDataForId) list.remove(0);
            q.lastPublishMillis = s.millis();
        }
    }

    private void event(PresenceEvent e) {
        events.addLast(e);
        while (events.size() > eventsKept) events.pollFirst();
        nextEventPos = Math.max(nextEventPos, e.pos() + 1);
        // A snapshot's own presence records say who is online; after it, the journal's events
        // do: an id that went online counts down from the restart.
        if (readingSnapshot) return;
        if (e.type().equals("online")) presence.put(e.id(), LocalState.Countdown.ONLINE);
        else presence.remove(e.id());
    }

    private void raise(Cursor c) {
        if (c != null && (lastGenerated == null || c.isAfter(lastGenerated))) lastGenerated = c;
    }

    /** Queue entries held so far. */
    long queuedMessages() {
        long n = 0;
        for (Queue q : queues.values()) n += q.messages.size();
        return n;
    }

    LocalState build() {
        List<LocalState.Queue> qs = new ArrayList<>(queues.size());
        queues.forEach((id, q) -> {
            if (!q.messages.isEmpty()) qs.add(new LocalState.Queue(id, q.lastPublishMillis, q.messages));
        });
        List<LocalState.Countdown> cs = new ArrayList<>(presence.size());
        presence.forEach((id, at) -> cs.add(new LocalState.Countdown(id, at)));
        return new LocalState(lastGenerated, nextEventPos, qs, cs, List.copyOf(events));
    }
}
