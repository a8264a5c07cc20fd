package org.realplexor.engine.redis;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.realplexor.engine.StoredMessage;

/**
 * The messages this node has handed to the Hub, by number, newest {@value #MAX_COUNT} (at most
 * {@value #MAX_BYTES} bytes of data). Two uses:
 * <ul>
 * <li>A queue read need not carry messages the node already has: every number from {@link #from()}
 * to the last one handed is here (pub/sub brings them all, in order), so the read asks Redis
 * for numbers only in that range.</li>
 * <li>A listener that registers holds back messages delivered during its queue read and merges
 * them with what the read returns, telling repeats apart by identity; a read must therefore
 * return the very instance already handed.</li>
 * </ul>
 * Reads in flight pin what they rely on: nothing they may name is evicted until they are done.
 *
 * <p>Numbers mean something only within one epoch of the store (see {@code epoch.lua}): the
 * cache holds the messages of {@link #epoch()} alone and is emptied when it changes.
 */
final class MessageCache {
    static final int MAX_COUNT = 20_000;
    static final long MAX_BYTES = 32L << 20;

    private record Entry(long arrival, long seq, int bytes) {}

    /** What a read in flight relies on: the range it said it holds, in which epoch and generation of the cache. */
    record Read(long ticket, long from, long to, String epoch, long generation) {}

    private final Map<Long, StoredMessage> bySeq = new HashMap<>();
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private final TreeMap<Long, Integer> readsByTicket = new TreeMap<>();
    private final TreeMap<Long, Integer> readsByFrom = new TreeMap<>();
    private long arrivals;
    private long bytes;
    private long from;
    private long to = -1;
    private String epoch = "";
    private long generation;

    /** The store's epoch the cached numbers belong to; "" before the first was seen. */
    String epoch() {
        return epoch;
    }

    /**
     * The store is another one now (restarted empty, or a replica promoted): every number
     * cached named a message of the old one. Drops them all; reads in flight that relied on
     * them see the generation moved on.
     */
    void reset(String newEpoch) {
        if (!epoch.isEmpty() || !bySeq.isEmpty()) generation++;
        epoch = newEpoch;
        bySeq.clear();
        order.clear();
        bytes = 0;
        from = 0;
        to = -1;
    }

    /** Whether what {@code r} relied on is still here (no reset since it began). */
    boolean intact(Read r) {
        return r.generation() == generation;
    }

    /** Every number from here to {@link #to()} is cached. */
    long from() {
        return from;
    }

    long to() {
        return to;
    }

    StoredMessage get(long seq) {
        return bySeq.get(seq);
    }

    /** A message handed to the Hub. One that does not follow the last without a gap starts the range anew. */
    void put(long seq, StoredMessage m) {
        if (bySeq.putIfAbsent(seq, m) == null) {
            order.addLast(new Entry(arrivals, seq, m.data().length));
            bytes += m.data().length;
        }
        arrivals++;
        if (seq == to + 1) {
            to = seq;
        } else if (seq > to) {
            from = seq;
            to = seq;
        }
        evict();
    }

    /**
     * Numbers up to {@code lastSeq} may have gone by unseen (the subscription was down): the
     * complete range starts after it. A {@code lastSeq} below what was seen means the store was
     * lost and numbering began again; nothing cached can be trusted then.
     */
    void gap(long lastSeq) {
        if (lastSeq < to) {
            bySeq.clear();
            order.clear();
            bytes = 0;
        }
        from = lastSeq + 1;
        to = lastSeq;
    }

    Read beginRead() {
        Read r = new Read(arrivals, from, to, epoch, generation);
        readsByTicket.merge(r.ticket(), 1, Integer::sum);
        readsByFrom.merge(r.from(), 1, Integer::sum);
        return r;
    }

    void endRead(Read r) {
        readsByTicket.computeIfPresent(r.ticket(), (k, n) -> n == 1 ? null : n - 1);
        readsByFrom.computeIfPresent(r.from(), (k, n) -> n == 1 ? null : n - 1);
        evict();
    }

    private void evict() {
        long oldestTicket = readsByTicket.isEmpty() ? Long.MAX_VALUE : readsByTicket.firstKey();
        long lowestFrom = readsByFrom.isEmpty() ? Long.MAX_VALUE : readsByFrom.firstKey();
        while ((order.size() > MAX_COUNT || bytes > MAX_BYTES) && !order.isEmpty()) {
            Entry e = order.peekFirst();
            if (e.arrival() >= oldestTicket || e.seq() >= lowestFrom) return;
            order.pollFirst();
            bySeq.remove(e.seq());
            bytes -= e.bytes();
            if (e.seq() >= from) from = e.seq() + 1;
        }
    }
}
