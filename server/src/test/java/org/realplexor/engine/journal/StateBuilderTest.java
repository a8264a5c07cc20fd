package org.realplexor.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.realplexor.engine.LocalState;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/** Replaying records gives the queues, presence and events the engine had; one case per rule. */
class StateBuilderTest {

    private static JournalRecord stored(long millis, String generated, String data, String... idCursor) {
        TreeMap<String, Cursor> cursors = new TreeMap<>();
        for (int i = 0; i < idCursor.length; i += 2) cursors.put(idCursor[i], Cursor.of(idCursor[i + 1]));
        return new JournalRecord.Stored(
                millis,
                generated == null ? null : Cursor.of(generated),
                new StoredMessage(data.getBytes(StandardCharsets.UTF_8), cursors, Set.of()));
    }

    private static JournalRecord event(long pos, String type, String id) {
        return new JournalRecord.Event(new PresenceEvent(pos, type, id));
    }

    /** Each queue as {@code id@last: data data ...}, then presence, events and the counters. */
    private static String describe(LocalState s) {
        List<String> out = new ArrayList<>();
        for (LocalState.Queue q : s.queues()) {
            StringBuilder sb = new StringBuilder(q.id() + "@" + q.lastPublishMillis() + ":");
            for (StoredMessage m : q.messages()) sb.append(' ').append(new String(m.data(), StandardCharsets.UTF_8));
            out.add(sb.toString());
        }
        for (LocalState.Countdown c : s.presence())
            out.add(c.id() + (c.offlineAt() < 0 ? " online" : " offline at " + c.offlineAt()));
        for (PresenceEvent e : s.events()) out.add(e.pos() + " " + e.type() + " " + e.id());
        out.add("last " + s.lastGenerated() + ", next " + s.nextEventPos());
        return String.join("\n", out);
    }

    private record Case(String name, List<JournalRecord> records, String want) {}

    private static final List<Case> CASES = List.of(
            new Case("nothing", List.of(), "last null, next 10"),
            new Case(
                    "a publish to two ids is one message in both queues",
                    List.of(stored(5, "100.5", "m1", "a", "100.5", "b", "100.5")),
                    "a@5: m1\nb@5: m1\nlast 100.5, next 10"),
            new Case(
                    "queues keep cursor order: a late small explicit cursor goes first",
                    List.of(
                            stored(1, null, "m7", "a", "7"),
                            stored(2, null, "m3", "a", "3"),
                            stored(3, null, "m9", "a", "9")),
                    "a@3: m3 m7 m9\nlast null, next 10"),
            new Case(
                    "MAX_DATA_FOR_ID (3) keeps the highest cursors",
                    List.of(
                            stored(1, null, "m1", "a", "1"),
                            stored(2, null, "m2", "a", "2"),
                            stored(3, null, "m3", "a", "3"),
                            stored(4, null, "m0", "a", "0.5"),
                            stored(5, null, "m4", "a", "4")),
                    "a@5: m2 m3 m4\nlast null, next 10"),
            new Case(
                    "a drop empties the queue; a later publish starts it again",
                    List.of(
                            stored(1, null, "old", "a", "1"),
                            new JournalRecord.Dropped(9, "a"),
                            stored(10, null, "new", "a", "2")),
                    "a@10: new\nlast null, next 10"),
            new Case(
                    "the highest generated cursor is kept, whatever the order",
                    List.of(stored(1, "20.5", "x", "a", "20.5"), stored(2, "19", "y", "b", "19")),
                    "a@1: x\nb@2: y\nlast 20.5, next 10"),
            new Case(
                    "events: online ids count down from the restart, offline ones are gone",
                    List.of(event(10, "online", "u1"), event(11, "online", "u2"), event(12, "offline", "u1")),
                    "u2 online\n10 online u1\n11 online u2\n12 offline u1\nlast null, next 13"),
            new Case(
                    "the event log keeps the newest (4)",
                    List.of(
                            event(10, "online", "a"),
                            event(11, "online", "b"),
                            event(12, "online", "c"),
                            event(13, "online", "d"),
                            event(14, "online", "e")),
                    "a online\nb online\nc online\nd online\ne online\n11 online b\n12 online c\n13 online d\n14 online e\nlast null, next 15"),
            new Case(
                    "a snapshot, then the journal after it",
                    List.of(
                            new JournalRecord.SnapshotHead(1, 2, 0, Cursor.of("50"), 20),
                            stored(0, null, "s0", "a", "1"),
                            new JournalRecord.SnapshotMessage(
                                    ((JournalRecord.Stored) stored(0, null, "s1", "a", "2", "b", "2")).message()),
                            new JournalRecord.SnapshotQueue("a", 40, List.of(0)),
                            new JournalRecord.SnapshotQueue("b", 41, List.of(0, 5)),
                            new JournalRecord.SnapshotPresence("u", 12345),
                            new JournalRecord.SnapshotEnd(5),
                            stored(60, "60", "j1", "b", "60")),
                    "a@40: s1\nb@60: s1 j1\nu offline at 12345\nlast 60, next 20"));

    @Test
    void replayGivesTheEnginesState() {
        for (Case c : CASES) {
            StateBuilder b = new StateBuilder(3, 4);
            for (JournalRecord r : c.records()) {
                if (r instanceof JournalRecord.SnapshotHead) b.readingSnapshot = true;
                b.apply(r);
                if (r instanceof JournalRecord.SnapshotEnd) b.readingSnapshot = false;
            }
            assertEquals(c.want(), describe(b.build()), c.name());
        }
    }
}
