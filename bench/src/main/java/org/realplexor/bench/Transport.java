package org.realplexor.bench;

/**
 * How a bench listener receives: the original's long-poll, a long-poll that keeps its connection
 * ({@code keepalive=1}), or one of the WAIT line's streams.
 */
enum Transport {
    LONGPOLL,
    KEPTPOLL,
    EVENTSOURCE,
    WEBSOCKET;

    boolean streaming() {
        return this != LONGPOLL && this != KEPTPOLL;
    }

    /** The name in figures lines: {@code eventsource}, {@code websocket}. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
