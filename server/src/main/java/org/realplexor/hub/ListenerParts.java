package org.realplexor.hub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.WaitAnswer;

/**
 * What a listener gets of stored messages: the ids under which a message is new to it, whether
 * it may see it at all, its backlog's parts in answer order, how a stream's cursors move past
 * what it is sent, and which listeners can share one render. Pure functions of the listener's
 * ids and cursors and of the messages; the Hub calls them on its thread.
 */
final class ListenerParts {
    private ListenerParts() {}

    /**
     * Under which key listeners get the same bytes for one message, or null if this one's are
     * its own: long-polls by the ids the message is stored under among theirs; streams also
     * carry every listened id's cursor, so only those of one kind on a single id share.
     */
    static Object shareKey(Listener l, List<WaitAnswer.Part> parts) {
        Map<String, Cursor> ids = parts.get(0).ids();
        if (!l.streaming()) return ids.size() == 1 ? ids.keySet().iterator().next() : String.join(",", ids.keySet());
        return l.ids.length == 1 ? List.of(l.getClass(), l.ids[0]) : null;
    }

    /** A stream's cursors move past what it is sent (a long-poll's client keeps its own). */
    static void advance(Listener l, List<WaitAnswer.Part> parts) {
        for (WaitAnswer.Part p : parts) {
            p.ids().forEach((id, c) -> {
                int i = l.indexOf(id);
                if (i >= 0 && c.isAfter(l.cursors[i])) l.cursors[i] = c;
            });
        }
    }

    /** The listener's ids under which {@code m} is newer than its cursor, or null if none. */
    static TreeMap<String, Cursor> qualifying(Listener l, StoredMessage m) {
        TreeMap<String, Cursor> out = null;
        for (int i = 0; i < l.ids.length; i++) {
            Cursor c = m.cursors().get(l.ids[i]);
            if (c != null && c.isAfter(l.cursors[i])) {
                if (out == null) out = new TreeMap<>();
                out.put(l.ids[i], c);
            }
        }
        return out;
    }

    static boolean visible(StoredMessage m, Listener l) {
        return m.visibleTo(Arrays.asList(l.ids));
    }

    /**
     * A registration's backlog: what was queued for its ids plus what it held back meanwhile
     * (which it then no longer holds), as {@link #partsFor} parts.
     */
    static List<WaitAnswer.Part> backlog(Listener l, Collection<List<StoredMessage>> queued) {
        List<StoredMessage> candidates = new ArrayList<>();
        for (List<StoredMessage> q : queued) candidates.addAll(q);
        if (l.pending != null) {
            candidates.addAll(l.pending);
            l.pending = null;
        }
        return partsFor(l, candidates);
    }

    /** Distinct visible messages newer than the listener's cursors, in answer order. */
    static List<WaitAnswer.Part> partsFor(Listener l, Collection<StoredMessage> candidates) {
        Map<StoredMessage, TreeMap<String, Cursor>> seen = new IdentityHashMap<>();
        for (StoredMessage m : candidates) {
            if (seen.containsKey(m)) continue;
            TreeMap<String, Cursor> ids = qualifying(l, m);
            if (ids != null && visible(m, l)) seen.put(m, ids);
        }
        List<Map.Entry<StoredMessage, TreeMap<String, Cursor>>> sorted = new ArrayList<>(seen.entrySet());
        sorted.sort((a, b) -> {
            int c = lowest(a.getValue()).compareTo(lowest(b.getValue()));
            return c != 0
                    ? c
                    : Arrays.compareUnsigned(a.getKey().data(), b.getKey().data());
        });
        List<WaitAnswer.Part> parts = new ArrayList<>(sorted.size());
        for (Map.Entry<StoredMessage, TreeMap<String, Cursor>> e : sorted) {
            parts.add(new WaitAnswer.Part(e.getValue(), e.getKey().data()));
        }
        return parts;
    }

    private static Cursor lowest(TreeMap<String, Cursor> ids) {
        Cursor low = null;
        for (Cursor c : ids.values()) if (low == null || c.compareTo(low) < 0) low = c;
        return low;
    }

    /** {@link #cursorMap} as it will be once {@link #advance} has moved it past {@code parts}; {@code l} is not changed. */
    static Map<String, Cursor> cursorsAfter(Listener l, List<WaitAnswer.Part> parts) {
        Map<String, Cursor> after = cursorMap(l);
        for (WaitAnswer.Part p : parts)
            p.ids().forEach((id, c) -> after.computeIfPresent(id, (k, was) -> c.isAfter(was) ? c : was));
        return after;
    }

    /** The listener's cursors by id, sorted by name as answers list them. */
    static Map<String, Cursor> cursorMap(Listener l) {
        Map<String, Cursor> m = new TreeMap<>();
        for (int i = 0; i < l.ids.length; i++) m.put(l.ids[i], l.cursors[i]);
        return m;
    }
}
