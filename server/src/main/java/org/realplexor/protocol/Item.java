package org.realplexor.protocol;

/**
 * One item of an identifier list: {@code [*][CURSOR:]ID}.
 *
 * @param id      the channel id ({@code \w+})
 * @param cursor  the given cursor, or null when the item has none
 * @param limiter true when the item was written with a leading {@code *}
 */
public record Item(String id, Cursor cursor, boolean limiter) {}
