package org.realplexor.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The STATS answer: sections {@code [name]} each followed by its lines, a blank line between
 * sections. The original's five come first and in its order, because scripts read its dump by
 * position; this server's own sections ({@code [events]}, {@code [redis]}) follow. A section
 * a source does not have (the Redis engine keeps no per-id cleanup timers) is there, empty.
 */
public final class StatsText {
    /**
     * STATS is for looking, not for reading whole tables back (ONLINE is complete): a section lists
     * at most this many ids, the first by name, then how many it left out.
     */
    public static final int MAX_LINES = 1000;
    /** A line lists at most this many items (queued messages, connections' cursors). */
    public static final int MAX_ITEMS = 10;
    /** The original's sections, in the order it printed them. */
    public static final List<String> ORIGINAL_ORDER =
            List.of("data_to_send", "connected_fhs", "online_timers", "cleanup_timers", "pairs_by_fhs");

    private StatsText() {}

    /** @param sections section name to its lines (each ending with a newline), in any order */
    public static String render(Map<String, String> sections) {
        Map<String, String> rest = new LinkedHashMap<>(sections);
        StringBuilder sb = new StringBuilder();
        for (String name : ORIGINAL_ORDER) append(sb, name, rest.remove(name));
        rest.forEach((name, body) -> append(sb, name, body));
        return sb.toString();
    }

    /** The line after a section's listed ids when {@code left} more were not listed; none otherwise. */
    public static String more(long left) {
        return left > 0 ? "... and " + left + " more\n" : "";
    }

    /**
     * {@code [a, b, c]}, with at most {@link #MAX_ITEMS} items and then {@code ... and K more}
     * inside the brackets.
     *
     * @param total how many items there are, of which {@code items} holds the first
     */
    public static String list(List<String> items, int total) {
        StringBuilder sb = new StringBuilder("[");
        int shown = Math.min(items.size(), MAX_ITEMS);
        for (int i = 0; i < shown; i++) {
            if (i > 0) sb.append(", ");
            sb.append(items.get(i));
        }
        if (total > shown)
            sb.append(shown > 0 ? ", " : "")
                    .append("... and ")
                    .append(total - shown)
                    .append(" more");
        return sb.append(']').toString();
    }

    /** A {@code [connected_fhs]} line: {@code ID => N connection(s) at [cursors]}. */
    public static String connectionsLine(String id, int connections, List<String> cursors) {
        return id + " => " + connections + " connection(s) at " + list(cursors, connections) + "\n";
    }

    private static void append(StringBuilder sb, String name, String body) {
        if (sb.length() > 0) sb.append('\n');
        sb.append('[').append(name).append("]\n");
        if (body != null) sb.append(body);
    }
}
