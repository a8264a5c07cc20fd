package org.realplexor.engine.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.realplexor.engine.LocalState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads DATA_DIR at start: the snapshot, then the journal files of its generation and later, in
 * order. A damaged or cut record ends its file's reading with a log line (what came before it is
 * kept); the start goes on. When anything was replayed from a journal, the state is written as a
 * new snapshot at once (compaction at start) so the next start reads one file.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    /** The state found and the generation the new journal file gets. */
    record Result(LocalState state, long generation) {}

    private Recovery() {}

    static Result run(DataDir dir, int maxDataForId, int eventsKept) throws IOException {
        long t0 = System.nanoTime();
        StateBuilder b = new StateBuilder(maxDataForId, eventsKept);
        Path snap = dir.snapshot();
        SortedMap<Long, Path> journals = dir.journals();
        long generation = journals.isEmpty() ? 0 : journals.firstKey();
        boolean rewrite = false;
        long snapshotRecords = 0;
        if (Files.exists(snap)) {
            b.readingSnapshot = true;
            RecordReader.Tail t = RecordReader.read(snap, b::apply);
            b.readingSnapshot = false;
            snapshotRecords = t.records();
            if (b.head != null) generation = b.head.generation();
            if (!t.clean() || !b.snapshotEnded || b.unknownPlaces > 0) {
                rewrite = true;
                log.warn(
                        "journal: the snapshot {} is damaged: {} at byte {} of {}; its {} records before that are kept{}",
                        snap,
                        t.clean() ? "it ends without its last record" : t.damage(),
                        t.goodBytes(),
                        t.fileBytes(),
                        t.records(),
                        b.head == null ? ", the journal files are read from the oldest" : "");
                if (b.head == null) generation = journals.isEmpty() ? 0 : journals.firstKey();
            }
        }
        long replayed = 0;
        long last = generation;
        for (Map.Entry<Long, Path> j : journals.entrySet()) {
            if (j.getKey() < generation) continue;
            last = j.getKey();
            long before = b.queuedMessages();
            RecordReader.Tail t = RecordReader.read(j.getValue(), r -> {
                if (r instanceof JournalRecord.SnapshotHead
                        || r instanceof JournalRecord.SnapshotMessage
                        || r instanceof JournalRecord.SnapshotQueue
                        || r instanceof JournalRecord.SnapshotPresence
                        || r instanceof JournalRecord.SnapshotEnd) {
                    return; // not a journal's record: ignored
                }
                b.apply(r);
            });
            // A file holding more than its head record changes what the next start reads.
            if (t.records() > 1 || !t.clean()) rewrite = true;
            replayed += Math.max(0, t.records() - 1);
            if (!t.clean()) {
                log.warn(
                        "journal: {} ends in damage: {} at byte {} of {}; its {} records before that were replayed, "
                                + "the {} bytes after were skipped",
                        j.getValue(),
                        t.damage(),
                        t.goodBytes(),
                        t.fileBytes(),
                        t.records(),
                        t.fileBytes() - t.goodBytes());
            }
            log.debug(
                    "journal: {} replayed ({} queue entries before, {} after)",
                    j.getValue(),
                    before,
                    b.queuedMessages());
        }
        LocalState state = b.build();
        long next = last;
        if (rewrite) {
            next = last + 1;
            SnapshotFile.write(dir, state, next, System.currentTimeMillis());
        }
        dir.deleteJournalsBefore(next);
        long entries = 0;
        for (LocalState.Queue q : state.queues()) entries += q.messages().size();
        log.info(
                "journal: restored {} queued messages in {} queues, {} presence countdowns, {} events from {} "
                        + "(snapshot: {} records, journal: {} records replayed) in {} ms",
                entries,
                state.queues().size(),
                state.presence().size(),
                state.events().size(),
                dir.dir,
                snapshotRecords,
                replayed,
                (System.nanoTime() - t0) / 1_000_000);
        return new Result(state, next);
    }
}
