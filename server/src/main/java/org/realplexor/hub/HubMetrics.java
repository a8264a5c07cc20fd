package org.realplexor.hub;

import org.realplexor.engine.EngineMetrics;

/**
 * A snapshot of the Hub's counters, taken on its thread.
 *
 * @param listeners     registered WAIT connections (long-polls and streams)
 * @param ids           ids with at least one registered connection
 * @param streams       of the listeners, the SSE and WebSocket streams
 * @param publishes     messages stored since start
 * @param deliveries    message parts handed to listeners since start
 * @param timeouts      polls closed by WAIT_TIMEOUT since start
 * @param pollsAnswered long-polls answered with messages since start
 * @param engineHealthy whether the engine reaches its store
 * @param engine        the engine's own counters
 */
public record HubMetrics(
        int listeners,
        int ids,
        int streams,
        long publishes,
        long deliveries,
        long timeouts,
        long pollsAnswered,
        boolean engineHealthy,
        EngineMetrics engine) {}
