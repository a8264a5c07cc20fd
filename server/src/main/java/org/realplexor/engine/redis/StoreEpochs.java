package org.realplexor.engine.redis;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's epoch as script answers and bus messages name it (see {@code epoch.lua}). Redis
 * back with less than it had (restarted empty, a replica promoted that missed the last writes)
 * numbers messages from 1 again, so a new epoch means the numbers this node cached are not the
 * store's: the feed's cache starts over here, and the engine reads the listened ids back. An
 * epoch this node has moved on from marks a stale answer. Used on the Hub's thread only.
 */
final class StoreEpochs {
    private static final Logger log = LoggerFactory.getLogger(RedisEngine.class);

    /** What an answer's epoch says: the one known, a retired one, the first one met, or a new store. */
    enum Seen {
        KNOWN,
        STALE,
        FIRST,
        CHANGED
    }

    private final MessageFeed feed;
    private final String safeUrl;
    /** Epochs this node has moved on from: an answer naming one is stale. */
    private final Set<String> retired = new HashSet<>();

    private long changes;

    StoreEpochs(MessageFeed feed, String safeUrl) {
        this.feed = feed;
        this.safeUrl = safeUrl;
    }

    /** @param epoch as named (null: a blob of an older version, which names none) */
    Seen see(String epoch) {
        if (epoch == null) return Seen.KNOWN;
        String known = feed.cache().epoch();
        if (epoch.equals(known)) return Seen.KNOWN;
        if (retired.contains(epoch)) return Seen.STALE;
        feed.newEpoch(epoch);
        if (known.isEmpty()) return Seen.FIRST;
        retired.add(known);
        changes++;
        log.warn(
                "Redis at {} holds another store than before (epoch {}, was {}): cached messages dropped, "
                        + "the queues of the ids listened to here are read again",
                safeUrl,
                epoch,
                known);
        return Seen.CHANGED;
    }

    /** For STATS: the epoch now and how often it changed since start. */
    String describe() {
        return feed.cache().epoch() + " (changed " + changes + " time(s) since start)";
    }
}
