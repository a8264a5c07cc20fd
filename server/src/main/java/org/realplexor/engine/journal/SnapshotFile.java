package org.realplexor.engine.journal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.realplexor.engine.LocalState;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.StoredMessage;

/**
 * Writes the whole state as a snapshot: into a temporary file, forced, then moved into place, so
 * that the folder holds the old snapshot or the new one, never half of one. Each message is
 * written once however many queues hold it; the queues name it by its place.
 */
final class SnapshotFile {
    static final int VERSION = 1;

    private SnapshotFile() {}

    /** Writes {@code state} as the snapshot of {@code generation}; returns the records written. */
    static long write(DataDir dir, LocalState state, long generation, long nowMillis) throws IOException {
        Path tmp = dir.dir.resolve("snapshot.tmp");
        long records = 0;
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            RecordCodec.Out buf = new RecordCodec.Out(1 << 16);
            records += put(
                    out,
                    buf,
                    new JournalRecord.SnapshotHead(
                            VERSION, generation, nowMillis, state.lastGenerated(), state.nextEventPos()));
            Map<StoredMessage, Integer> places = new IdentityHashMap<>();
            for (LocalState.Queue q : state.queues()) {
                for (StoredMessage m : q.messages()) {
                    if (places.putIfAbsent(m, places.size()) == null)
                        records += put(out, buf, new JournalRecord.SnapshotMessage(m));
                }
            }
            for (LocalState.Queue q : state.queues()) {
                List<Integer> at = q.messages().stream().map(places::get).toList();
                records += put(out, buf, new JournalRecord.SnapshotQueue(q.id(), q.lastPublishMillis(), at));
            }
            for (PresenceEvent e : state.events()) records += put(out, buf, new JournalRecord.Event(e));
            for (LocalState.Countdown c : state.presence()) {
                records += put(out, buf, new JournalRecord.SnapshotPresence(c.id(), c.offlineAt()));
            }
            put(out, buf, new JournalRecord.SnapshotEnd(records));
            out.flush();
            ch.force(true);
        }
        dir.install(tmp, dir.snapshot());
        return records + 1;
    }

    private static int put(OutputStream out, RecordCodec.Out buf, JournalRecord r) throws IOException {
        buf.clear();
        RecordCodec.encode(r, buf);
        out.write(buf.array(), 0, buf.size());
        return 1;
    }
}
