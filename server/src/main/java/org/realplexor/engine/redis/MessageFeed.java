package org.realplexor.engine.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * Hands each message to the Hub once. Pub/sub brings messages in number order (the publish
 * script numbers and publishes them atomically), so a number not above the last one handed is a
 * repeat. When the subscription was down, what was missed is read back from the queues of the
 * ids listened to here ({@link #beginResync} .. {@link #endResync}); pub/sub messages arriving
 * meanwhile wait, then follow in order. A new epoch of the store numbers from 1 again: the
 * cache and the last number handed start over ({@link #newEpoch}).
 *
 * <p>REDIS_MODE=cluster: each shard puts its parts on the bus in its own order, so numbers arrive
 * out of order and a message arrives once per target id (each copy carries the whole message).
 * The first copy is handed; later ones are repeats, known by their number in the cache, except
 * a copy whose own id's cursor its slot raised (two publishes crossed, see
 * {@code cluster_part.lua}): that id's cursor is handed on its own, so its listeners get it.
 */
final class MessageFeed {
    private final boolean cluster;
    private final List<Consumer<StoredMessage>> consumers = new ArrayList<>();
    private final MessageCache cache = new MessageCache();
    private long handed = -1;
    private List<MessageCodec.Decoded> held;

    /** @param cluster REDIS_MODE=cluster: copies per target, numbers out of order */
    MessageFeed(boolean cluster) {
        this.cluster = cluster;
    }

    void add(Consumer<StoredMessage> consumer) {
        consumers.add(consumer);
    }

    MessageCache cache() {
        return cache;
    }

    /** A pub/sub message. */
    void pushed(MessageCodec.Decoded d) {
        if (held != null) {
            held.add(d);
        } else if (cluster) {
            pushedCopy(d);
        } else if (d.seq() > handed) {
            handed = d.seq();
            hand(d.seq(), d.message());
        }
    }

    private void pushedCopy(MessageCodec.Decoded d) {
        StoredMessage known = cache.get(d.seq());
        if (known == null) {
            handed = Math.max(handed, d.seq());
            hand(d.seq(), d.message());
            return;
        }
        Cursor own = d.part() == null ? null : d.message().cursors().get(d.part());
        if (own == null || own.equals(known.cursors().get(d.part()))) return;
        SortedMap<String, Cursor> raised = new TreeMap<>();
        raised.put(d.part(), own);
        StoredMessage m =
                new StoredMessage(d.message().data(), raised, d.message().limiters());
        for (Consumer<StoredMessage> c : consumers) c.accept(m);
    }

    /**
     * The store is another one: numbers start again, nothing cached is of it. Held pub/sub
     * messages of other epochs are dropped (what they carry is read back from the new store).
     */
    void newEpoch(String epoch) {
        cache.reset(epoch);
        handed = -1;
        if (held != null) held.removeIf(d -> d.epoch() != null && !d.epoch().equals(epoch));
    }

    boolean resyncing() {
        return held != null;
    }

    void beginResync() {
        if (held == null) held = new ArrayList<>();
    }

    /**
     * The queues of the ids listened to here, read after the subscription was made, and the last
     * message number at that read. Every listener here gets what it missed (the Hub drops what
     * a listener's cursor says it has), then the held pub/sub messages newer than the read follow.
     * Numbers restart when the store was lost; taking the read's number covers that too.
     */
    void endResync(SortedMap<Long, StoredMessage> replay, long lastSeq) {
        if (cluster) {
            // numbers arrive out of order: the held copies and the cache tell repeats apart
            replay.forEach(this::hand);
            handed = Math.max(handed, lastSeq);
            releaseHeld();
            return;
        }
        cache.gap(lastSeq);
        replay.forEach(this::hand);
        handed = lastSeq;
        releaseHeld();
    }

    /** The read failed: pass on what pub/sub brought; the next resync covers the rest. */
    void abortResync() {
        releaseHeld();
    }

    long handed() {
        return handed;
    }

    private void releaseHeld() {
        List<MessageCodec.Decoded> h = held;
        held = null;
        if (h != null) for (MessageCodec.Decoded d : h) pushed(d);
    }

    private void hand(long seq, StoredMessage fresh) {
        StoredMessage known = cache.get(seq);
        StoredMessage m = known != null ? known : fresh;
        cache.put(seq, m);
        for (Consumer<StoredMessage> c : consumers) c.accept(m);
    }
}
