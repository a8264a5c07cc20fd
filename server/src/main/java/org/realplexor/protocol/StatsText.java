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
    /** The original's sections, in the order it printed them. */
    public static final List<String> ORIGINAL_ORDER =
            List.of("data_to_send", "connected_fhs", "online_timers", "cleanup_timers", "pairs_by_fhs");

    private StatsText() {
    }

    /** @param sections section name to its lines (each ending with a newline), in any order */
    public static String render(Map<String, String> sections) {
        Map<String, String> rest = new LinkedHashMap<>(sections);
        StringBuilder sb = new StringBuilder();
        for (String name : ORIGINAL_ORDER) append(sb, name, rest.remove(name));
        rest.forEach((name, body) -> append(sb, name, body));
        return sb.toString();
    }

    private static void append(StringBuilder sb, String name, String body) {
        if (sb.length() > 0) sb.append('\n');
        sb.append('[').append(name).append("]\n");
        if (body != null) sb.append(body);
    }
}
