package org.realplexor.hub;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/** The cursor each stored target got, in the order the publisher named them. */
public record PublishResult(Map<String, Cursor> cursors) {

    /** The cursor {@code stored} got under each of {@code targets}, in the targets' order. */
    static PublishResult of(Set<String> targets, StoredMessage stored) {
        Map<String, Cursor> out = new LinkedHashMap<>();
        for (String id : targets) out.put(id, stored.cursors().get(id));
        return new PublishResult(out);
    }

    /** The IN answer body: one {@code ID CURSOR} line per stored target. */
    public String lines() {
        StringBuilder sb = new StringBuilder();
        cursors.forEach((id, c) -> sb.append(id).append(' ').append(c.text()).append('\n'));
        return sb.toString();
    }
}
