package org.realplexor.engine;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.realplexor.config.Settings;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.OnlineTable;

/**
 * Where messages, cursors, presence and events live. The Hub owns listeners and rules and calls
 * the engine only from its own thread; every answer may arrive later (a shared store is remote),
 * so calls return Futures. {@link LocalEngine} completes them at once.
 */
public interface Engine {

    /**
     * Stores one message under its targets. Targets mapped to null share one freshly generated
     * cursor; given cursors are stored as given. Queues rotate (MAX_DATA_FOR_ID keeps the highest
     * cursors) and expire (CLEAN_ID_AFTER after the last publish). Every stored message is then
     * handed to the {@link #onMessage} consumer, also when it was published elsewhere.
     */
    Future<StoredMessage> publish(Map<String, Cursor> targets, Collection<String> limiters, byte[] data);

    /** The cursor a listener that asked for "from now" starts at. */
    Cursor now();

    /** The queued messages of each id (ids with no queue are absent), lowest cursor first. */
    Future<Map<String, List<StoredMessage>>> queued(Collection<String> ids);

    /**
     * The queued messages of each id with a cursor greater than the given one (ids with none are
     * absent), lowest cursor first: what a listener registering at these cursors is owed. A
     * shared store sends only these instead of whole queues; by default whole queues are filtered.
     */
    default Future<Map<String, List<StoredMessage>>> queuedAfter(Map<String, Cursor> after) {
        return queued(after.keySet()).map(all -> {
            Map<String, List<StoredMessage>> out = new HashMap<>();
            all.forEach((id, q) -> {
                List<StoredMessage> newer = new ArrayList<>();
                for (StoredMessage m : q) if (m.cursors().get(id).isAfter(after.get(id))) newer.add(m);
                if (!newer.isEmpty()) out.put(id, newer);
            });
            return out;
        });
    }

    /** Called with every message stored anywhere, on the Hub's thread. */
    void onMessage(Consumer<StoredMessage> consumer);

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

    /**
     * A human-readable dump of the tables (the STATS command): section name ({@code
     * data_to_send}, {@code online_timers}, ...) to its lines, each ending with a newline.
     */
    Future<Map<String, String>> stats();

    /** Expires timers; called periodically on the Hub's thread. */
    void tick(long nowMillis);

    /** New settings after SIGHUP. */
    void apply(Settings settings);

    /** False while the engine cannot reach its store (the health check then says degraded). */
    default boolean healthy() {
        return true;
    }

    /** Counters for the metrics; on the Hub's thread, cheap (no walk over the tables). */
    default EngineMetrics metrics() {
        return EngineMetrics.UNKNOWN;
    }

    /** Releases what the engine holds. */
    Future<Void> close();
}
