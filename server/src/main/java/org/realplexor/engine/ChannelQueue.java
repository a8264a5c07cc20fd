package org.realplexor.engine;

import java.util.ArrayList;
import java.util.List;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.StatsText;

/**
 * The messages queued under one id, sorted by their cursor for this id. Rotation drops the
 * lowest cursors, not the oldest publishes: a message published late with a small explicit
 * cursor is the first to go.
 */
final class ChannelQueue {
    private final List<Cursor> cursors = new ArrayList<>();
    private final List<StoredMessage> messages = new ArrayList<>();
    long lastPublishMillis;
    /** The bytes of the messages queued here (for the metrics). */
    long bytes;

    /** Adds {@code m}; returns how many bytes the queue grew by (less when rotation dropped some). */
    long add(Cursor cursor, StoredMessage m, int max) {
        long before = bytes;
        int i = cursors.size();
        while (i > 0 && cursors.get(i - 1).compareTo(cursor) > 0) i--;
        cursors.add(i, cursor);
        messages.add(i, m);
        bytes += m.data().length;
        while (cursors.size() > max) {
            cursors.remove(0);
            bytes -= messages.remove(0).data().length;
        }
        return bytes - before;
    }

    /**
     * The messages whose cursor is greater than {@code cursor} (equal is not), in cursor order.
     * A binary search: every poll asks this, and a poll that is up to date gets an empty list
     * without the queue being walked.
     */
    List<StoredMessage> after(Cursor cursor) {
        int lo = 0;
        int hi = cursors.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cursors.get(mid).isAfter(cursor)) hi = mid;
            else lo = mid + 1;
        }
        return lo == messages.size() ? List.of() : List.copyOf(messages.subList(lo, messages.size()));
    }

    int size() {
        return messages.size();
    }

    /** A copy of the queued messages, lowest cursor first (a snapshot for the journal). */
    List<StoredMessage> messages() {
        return List.copyOf(messages);
    }

    /** The first queued messages as {@code CURSOR: SIZEb}, at most STATS's items per line. */
    String describe() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < messages.size() && i < StatsText.MAX_ITEMS; i++) {
            items.add(cursors.get(i).text() + ": " + messages.get(i).data().length + "b");
        }
        return StatsText.list(items, messages.size());
    }
}
