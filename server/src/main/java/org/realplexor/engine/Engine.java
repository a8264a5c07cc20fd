package org.realplexor.engine;

import io.vertx.core.Future;
import java.util.Map;
import org.realplexor.config.Settings;

/**
 * Where messages, cursors, presence and events live: a {@link MessageStore} and a
 * {@link Presence}, plus what the server needs of the whole (STATS, timers, reload, health,
 * metrics, close). The Hub owns listeners and rules and calls the engine only from its own
 * thread; every answer may arrive later (a shared store is remote), so calls return Futures.
 * {@link LocalEngine} completes most of them at once. The rules both engines keep are asserted
 * alike for both by EngineContractTest.
 */
public interface Engine extends MessageStore, Presence {

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
