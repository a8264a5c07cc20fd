package org.realplexor.engine;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.realplexor.protocol.OnlineTable;

/**
 * The presence half of an {@link Engine}: listener counts per id, the offline countdown
 * (OFFLINE_TIMEOUT) and the online/offline event log that WATCH reads (positions from 10, the
 * newest {@code Settings#eventsKept} kept). Called from the Hub's thread only.
 */
public interface Presence {

    /** Listener counts went up (+1) or down (-1) per id; drives online/offline events. */
    Future<Void> listeners(Map<String, Integer> deltas);

    /**
     * The online ids that {@code wanted} accepts, with their counts (0 while an offline countdown
     * runs), in any order (the Hub sorts them off its thread). A table of millions must not hold
     * the Hub's thread for long: at most one quick pass over it there, or a read in pages.
     */
    Future<OnlineTable> online(Predicate<String> wanted);

    /** Events after {@code pos}, oldest first. */
    Future<List<PresenceEvent>> eventsAfter(long pos);

    /** The position the next event will get. */
    Future<Long> nextEventPosition();
}
