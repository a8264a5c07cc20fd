package org.realplexor.bench;

/** How a bench listener receives: the original's long-poll, or one of the WAIT line's streams. */
enum Transport {
    LONGPOLL,
    EVENTSOURCE,
    WEBSOCKET;

    boolean streaming() {
        return this != LONGPOLL;
    }

    /** The name in figures lines: {@code eventsource}, {@code websocket}. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
