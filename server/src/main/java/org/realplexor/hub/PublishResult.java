package org.realplexor.hub;

import java.util.Map;
import org.realplexor.protocol.Cursor;

/** The cursor each stored target got, in the order the publisher named them. */
public record PublishResult(Map<String, Cursor> cursors) {

    /** The IN answer body: one {@code ID CURSOR} line per stored target. */
    public String lines() {
        StringBuilder sb = new StringBuilder();
        cursors.forEach((id, c) -> sb.append(id).append(' ').append(c.text()).append('\n'));
        return sb.toString();
    }
}
