package org.realplexor.engine;

/** An entry of the event log: {@code online} or {@code offline} of an id, at a position. */
public record PresenceEvent(long pos, String type, String id) {}
