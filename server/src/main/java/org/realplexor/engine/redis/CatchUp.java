package org.realplexor.engine.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.realplexor.protocol.Cursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading back, whole, the queues of the ids listened to here: what they may have missed while
 * the subscription was down, or everything after the store's epoch changed. Pub/sub messages
 * wait in the feed meanwhile. One read at a time; a request meanwhile, or an answer from an
 * epoch that is already gone, reads once more; a failed read is due again at the next tick.
 * Used on the Hub's thread only.
 */
final class CatchUp {
    private static final Logger log = LoggerFactory.getLogger(RedisEngine.class);

    private final QueueReads reads;
    private final MessageFeed feed;
    private final PresenceCounts presence;
    private final BooleanSupplier ready;
    private final Runnable healthChanged;
    private final Consumer<Runnable> later;
    private boolean again;
    private boolean due;

    /**
     * @param ready         both links up and the engine not closed
     * @param healthChanged called when {@link #due()} or the feed's resyncing may have changed
     * @param later         runs a task on the Hub's thread after what is queued there
     */
    CatchUp(
            QueueReads reads,
            MessageFeed feed,
            PresenceCounts presence,
            BooleanSupplier ready,
            Runnable healthChanged,
            Consumer<Runnable> later) {
        this.reads = reads;
        this.feed = feed;
        this.presence = presence;
        this.ready = ready;
        this.healthChanged = healthChanged;
        this.later = later;
    }

    /** A read-back is wanted and has not started yet. */
    boolean due() {
        return due;
    }

    /** The store's epoch changed: read back soon (unless a read-back is under way: its answer carries the epoch it read in). */
    void newStore() {
        if (feed.resyncing()) return;
        due = true;
        healthChanged.run();
        later.accept(() -> {
            if (due) run();
        });
    }

    void runIfDue() {
        if (due) run();
    }

    void run() {
        due = false;
        if (!ready.getAsBoolean()) return;
        if (feed.resyncing()) {
            again = true;
            return;
        }
        feed.beginResync();
        healthChanged.run();
        Map<String, Cursor> whole = new LinkedHashMap<>();
        for (String id : presence.ids()) whole.put(id, null);
        reads.read(whole).onComplete(ar -> {
            if (ar.succeeded() && !ar.result().epoch().equals(feed.cache().epoch())) {
                // the store changed again after this read: read once more
                feed.abortResync();
                again = true;
            } else if (ar.succeeded()) {
                feed.endResync(new TreeMap<>(ar.result().bySeq()), ar.result().lastSeq());
            } else {
                log.warn("reading back missed messages failed: {}", ar.cause().getMessage());
                feed.abortResync();
                due = true;
            }
            healthChanged.run();
            if (again) {
                again = false;
                run();
            }
        });
    }
}
