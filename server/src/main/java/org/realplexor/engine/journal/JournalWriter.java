package org.realplexor.engine.journal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records to the journal file on a thread of its own, so the Hub's thread never waits
 * for the disk. The Hub's thread only collects the records of its current loop turn; at the end
 * of the turn they go to the writer as one batch. The writer encodes and writes every batch
 * waiting, then, per JOURNAL_FSYNC: {@code always} forces the file and only then lets the
 * publishes of those batches be answered (one fsync for all of them: group commit; while it
 * runs, the next turns' batches gather); {@code everysec} forces it at most once a second;
 * {@code no} leaves it to the OS.
 */
final class JournalWriter {
    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
    private static final Object CLOSE = new Object();

    /** One loop turn's records; {@code durable} (always only) completes once they are forced. */
    private record Batch(List<JournalRecord> records, Promise<Void> durable) {}

    /** Switch to a new file (compaction); {@code done} completes once the old one is forced and closed. */
    private record Rotate(Path file, long generation, CompletableFuture<Void> done) {}

    private final FsyncPolicy policy;
    private final Executor hub;
    private final Executor afterTurn;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong fileBytes = new AtomicLong();
    private final Thread thread;
    private final Runnable endOfTurn = this::endOfTurn;
    private FileChannel file;

    // On the Hub's thread:
    private List<JournalRecord> turn;
    private Promise<Void> turnDurable;
    private boolean closed;

    /**
     * Starts a fresh journal file of {@code generation}.
     *
     * @param hub       runs a task on the Hub's thread (completing the publishes' futures)
     * @param afterTurn runs a task at the end of the Hub loop's current turn
     */
    JournalWriter(Path path, long generation, FsyncPolicy policy, Executor hub, Executor afterTurn) throws IOException {
        this.policy = policy;
        this.hub = hub;
        this.afterTurn = afterTurn;
        this.file = create(path, generation);
        this.thread = new Thread(this::run, "realplexor-journal");
        thread.setDaemon(true);
        thread.start();
    }

    private FileChannel create(Path path, long generation) throws IOException {
        FileChannel ch = FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        byte[] head = RecordCodec.encode(new JournalRecord.JournalHead(generation));
        ch.write(ByteBuffer.wrap(head));
        ch.force(true);
        fileBytes.set(head.length);
        return ch;
    }

    /** Bytes in the current journal file (any thread). */
    long fileBytes() {
        return fileBytes.get();
    }

    /** Queues {@code r} with this loop turn's records (Hub's thread). */
    boolean add(JournalRecord r) {
        if (closed) return false;
        if (turn == null) {
            turn = new ArrayList<>();
            afterTurn.execute(endOfTurn);
        }
        turn.add(r);
        return true;
    }

    /** Queues {@code r}; the future completes on the Hub's thread once it is on disk (Hub's thread). */
    Future<Void> addDurable(JournalRecord r) {
        if (!add(r)) return Future.failedFuture("the journal is closed: the server is stopping");
        if (turnDurable == null) turnDurable = Promise.promise();
        return turnDurable.future();
    }

    private void endOfTurn() {
        if (turn == null) return;
        queue.add(new Batch(turn, turnDurable));
        turn = null;
        turnDurable = null;
    }

    /** Hands this turn's records over, then switches to a new file (Hub's thread). */
    CompletableFuture<Void> rotate(Path path, long generation) {
        endOfTurn();
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Rotate(path, generation, done));
        return done;
    }

    /** Writes and forces everything handed over, then stops the thread (Hub's thread). */
    void close() {
        if (closed) return;
        endOfTurn();
        closed = true;
        queue.add(CLOSE);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        RecordCodec.Out out = new RecordCodec.Out(1 << 16);
        List<Object> items = new ArrayList<>();
        List<Promise<Void>> waiting = new ArrayList<>();
        long lastForce = System.nanoTime();
        boolean dirty = false;
        long lastErrorLog = 0;
        while (true) {
            items.clear();
            try {
                Object first;
                if (policy == FsyncPolicy.EVERYSEC && dirty) {
                    long left = TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - lastForce);
                    first = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                } else {
                    first = queue.take();
                }
                if (first != null) {
                    items.add(first);
                    queue.drainTo(items);
                }
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = false;
            IOException failure = null;
            out.clear();
            for (Object o : items) {
                try {
                    if (o instanceof Batch b) {
                        for (JournalRecord r : b.records()) RecordCodec.encode(r, out);
                        if (b.durable() != null) waiting.add(b.durable());
                    } else if (o instanceof Rotate r) {
                        write(out);
                        file.force(false);
                        file.close();
                        file = create(r.file(), r.generation());
                        dirty = false;
                        r.done().complete(null);
                    } else if (o == CLOSE) {
                        stop = true;
                    }
                } catch (IOException e) {
                    failure = e;
                    if (o instanceof Rotate r) r.done().completeExceptionally(e);
                }
            }
            try {
                if (out.size() > 0) {
                    write(out);
                    dirty = true;
                }
                if (dirty
                        && (stop
                                || (policy == FsyncPolicy.ALWAYS && !waiting.isEmpty())
                                || (policy == FsyncPolicy.EVERYSEC
                                        && System.nanoTime() - lastForce >= TimeUnit.SECONDS.toNanos(1)))) {
                    file.force(false);
                    lastForce = System.nanoTime();
                    dirty = false;
                }
            } catch (IOException e) {
                failure = e;
            }
            if (failure != null && System.nanoTime() - lastErrorLog > TimeUnit.SECONDS.toNanos(10)) {
                lastErrorLog = System.nanoTime();
                log.error(
                        "journal: cannot write ({}); publishes since the last good write may not survive a restart",
                        failure.toString());
            }
            if (!waiting.isEmpty()) {
                List<Promise<Void>> done = new ArrayList<>(waiting);
                waiting.clear();
                IOException f = failure;
                hub.execute(() -> {
                    for (Promise<Void> p : done) {
                        if (f == null) p.tryComplete();
                        else p.tryFail(new IOException("the journal could not be written: " + f.getMessage(), f));
                    }
                });
            }
            if (stop) {
                try {
                    file.close();
                } catch (IOException e) {
                    log.warn("journal: closing the file: {}", e.toString());
                }
                return;
            }
        }
    }

    /**
     * Appends the encoded records. A write that fails part-way is cut back to where it started, so
     * that the file stays whole records and later writes can still be read.
     */
    private void write(RecordCodec.Out out) throws IOException {
        if (out.size() == 0) return;
        long start = file.position();
        try {
            ByteBuffer b = ByteBuffer.wrap(out.array(), 0, out.size());
            while (b.hasRemaining()) file.write(b);
            fileBytes.addAndGet(out.size());
        } catch (IOException e) {
            try {
                file.truncate(start);
                file.position(start);
            } catch (IOException ignored) {
                // the next start skips the torn record with a log line
            }
            throw e;
        } finally {
            out.clear();
        }
    }
}
