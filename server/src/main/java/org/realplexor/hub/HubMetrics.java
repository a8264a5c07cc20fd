package org.realplexor.hub;

/**
 * A snapshot of the Hub's counters.
 *
 * @param listeners   registered WAIT connections (long-polls and streams)
 * @param ids         ids with at least one registered connection
 * @param streams     of the listeners, the SSE and WebSocket streams
 * @param publishes   messages stored since start
 * @param deliveries  message parts handed to listeners since start
 * @param timeouts    polls closed by WAIT_TIMEOUT since start
 * @param engineHealthy whether the engine reaches its store
 */
public record HubMetrics(int listeners, int ids, int streams, long publishes, long deliveries, long timeouts,
                         boolean engineHealthy) {
}
