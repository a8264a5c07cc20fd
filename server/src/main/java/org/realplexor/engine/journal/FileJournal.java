package org.realplexor.engine.journal;

import io.vertx.core.Future;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.realplexor.engine.LocalJournal;
import org.realplexor.engine.LocalState;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local engine's journal in DATA_DIR: every change goes to the {@link JournalWriter}; when the
 * journal has grown to several times the live state, the state is written as a new snapshot (off
 * the Hub's thread, the journal meanwhile going on in a new file) and the old journal goes; on
 * stop, the state is written as a snapshot and the journal closed.
 */
final class FileJournal implements LocalJournal {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
    /** The journal is rewritten once it is this many times the live state's size ... */
    static final long GROWTH_FACTOR = 4;
    /** ... and at least this big: a small state is not rewritten every few seconds. */
    static final long MIN_COMPACT_BYTES = 64L << 20;

    private final DataDir dir;
    private final FsyncPolicy policy;
    private final JournalWriter writer;
    private final long minCompactBytes;
    private final ExecutorService snapshots = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "realplexor-snapshot");
        t.setDaemon(true);
        return t;
    });
    /** The generation of the journal file being written. */
    private long generation;

    private volatile boolean compacting;
    private boolean closed;

    FileJournal(DataDir dir, FsyncPolicy policy, JournalWriter writer, long generation, long minCompactBytes) {
        this.dir = dir;
        this.policy = policy;
        this.writer = writer;
        this.generation = generation;
        this.minCompactBytes = minCompactBytes;
    }

    @Override
    public Future<Void> stored(long millis, Cursor generated, StoredMessage m) {
        JournalRecord r = new JournalRecord.Stored(millis, generated, m);
        if (policy == FsyncPolicy.ALWAYS) return writer.addDurable(r);
        if (!writer.add(r)) return Future.failedFuture("the journal is closed: the server is stopping");
        return null;
    }

    @Override
    public void dropped(long millis, String id) {
        writer.add(new JournalRecord.Dropped(millis, id));
    }

    @Override
    public void event(PresenceEvent e) {
        writer.add(new JournalRecord.Event(e));
    }

    @Override
    public boolean wantsCompaction(long liveBytes) {
        if (closed || compacting) return false;
        long size = writer.fileBytes();
        return size > minCompactBytes && size > GROWTH_FACTOR * liveBytes;
    }

    @Override
    public void compact(LocalState state) {
        if (closed || compacting) return;
        compacting = true;
        long next = generation + 1;
        long from = writer.fileBytes();
        CompletableFuture<Void> switched = writer.rotate(dir.journal(next), next);
        generation = next;
        snapshots.execute(() -> {
            try {
                switched.join();
                long t0 = System.nanoTime();
                long records = SnapshotFile.write(dir, state, next, System.currentTimeMillis());
                dir.deleteJournalsBefore(next);
                log.info(
                        "journal: compacted a journal of {} MB into a snapshot of {} records in {} ms",
                        from >> 20,
                        records,
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (Exception e) {
                log.error(
                        "journal: compaction failed ({}); the journal files stay and are replayed at start",
                        e.toString());
            } finally {
                compacting = false;
            }
        });
    }

    @Override
    public void close(LocalState state) {
        if (closed) return;
        closed = true;
        writer.close();
        snapshots.shutdown();
        try {
            if (!snapshots.awaitTermination(60, TimeUnit.SECONDS))
                log.warn("journal: a compaction is still running at stop");
            long t0 = System.nanoTime();
            long next = generation + 1;
            long records = SnapshotFile.write(dir, state, next, System.currentTimeMillis());
            dir.deleteJournalsBefore(next);
            log.info(
                    "journal: wrote the snapshot ({} records: {} queues) in {} ms",
                    records,
                    state.queues().size(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            log.error(
                    "journal: cannot write the snapshot at stop ({}); the journal is kept and replayed at start",
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                dir.close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }
}
