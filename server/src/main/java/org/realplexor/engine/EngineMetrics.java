package org.realplexor.engine;

/**
 * An engine's counters for the metrics, read on the Hub's thread. A value the engine does not
 * know (the Redis engine does not count what Redis queues) is -1 and is left out of /metrics.
 *
 * @param queuedIds       ids with queued messages
 * @param queuedMessages  queue entries (a message stored under three ids counts three times)
 * @param queuedBytes     their bytes, counted alike
 * @param onlineIds       ids with a listener, or in their offline countdown
 * @param presenceEvents  online/offline events since start
 * @param redis           whether the engine works through Redis (the fields below then count)
 * @param redisUp         both Redis connections are up
 * @param redisReconnects Redis connections made again after the first
 * @param redisCommands   Redis commands answered
 * @param redisCommandNanos their time from sent to answered, added up
 * @param redisUnreplicated publishes stored with fewer replica acknowledgements than REDIS_REPLICA_ACKS
 * @param redisAckTimeouts  publishes answered 503 for want of their replica acknowledgements in time
 */
public record EngineMetrics(
        long queuedIds,
        long queuedMessages,
        long queuedBytes,
        long onlineIds,
        long presenceEvents,
        boolean redis,
        boolean redisUp,
        long redisReconnects,
        long redisCommands,
        long redisCommandNanos,
        long redisUnreplicated,
        long redisAckTimeouts) {
    public static final EngineMetrics UNKNOWN = new EngineMetrics(-1, -1, -1, -1, -1, false, false, 0, 0, 0);

    /** Without the replica counts (an engine with no replicas to wait for). */
    public EngineMetrics(
            long queuedIds,
            long queuedMessages,
            long queuedBytes,
            long onlineIds,
            long presenceEvents,
            boolean redis,
            boolean redisUp,
            long redisReconnects,
            long redisCommands,
            long redisCommandNanos) {
        this(
                queuedIds,
                queuedMessages,
                queuedBytes,
                onlineIds,
                presenceEvents,
                redis,
                redisUp,
                redisReconnects,
                redisCommands,
                redisCommandNanos,
                0,
                0);
    }
}
