package org.realplexor.engine;

import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import org.realplexor.protocol.Cursor;

/**
 * One published message: its bytes (shared by every queue and listener, never copied), the
 * cursor it got under each target id, and its visibility limiters.
 *
 * @param data     the raw body, spliced into answers byte for byte
 * @param cursors  target id to cursor, sorted by id
 * @param limiters ids of which a listener must hear at least one to see the message; empty = all
 */
public record StoredMessage(byte[] data, SortedMap<String, Cursor> cursors, Set<String> limiters) {

    public StoredMessage {
        cursors = Collections.unmodifiableSortedMap(cursors);
        limiters = Set.copyOf(limiters);
    }

    /** Whether a listener of {@code listened} ids may see this message. */
    public boolean visibleTo(Iterable<String> listened) {
        if (limiters.isEmpty()) return true;
        for (String id : listened) if (limiters.contains(id)) return true;
        return false;
    }
}
