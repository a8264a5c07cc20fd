package org.realplexor.hub;

import org.realplexor.engine.EngineMetrics;

/** The Hub's running counts (see {@link HubMetrics} for each); touched only on the Hub's thread. */
final class HubCounters {
    int connected;
    long publishes;
    long deliveries;
    long timeouts;
    long pollsAnswered;

    /** A snapshot with what the Hub's tables and the engine tell besides the counts. */
    HubMetrics snapshot(int ids, int streams, boolean engineHealthy, EngineMetrics engine) {
        return new HubMetrics(
                connected, ids, streams, publishes, deliveries, timeouts, pollsAnswered, engineHealthy, engine);
    }
}
