package org.realplexor.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.realplexor.protocol.StatsText;

/**
 * Which listeners hear each id. Most ids have one listener (a user's own channel), so a lone
 * listener is stored as the map's value itself and a set is made only for the second one: a
 * held poll then costs one map entry here instead of a whole hash set.
 *
 * <p>Not thread-safe: the Hub's.
 */
final class ListenersById {
    private final Map<String, Object> byId = new HashMap<>();

    void add(String id, Listener l) {
        Object v = byId.get(id);
        if (v == null) {
            byId.put(id, l);
        } else if (v instanceof Listener one) {
            if (one == l) return;
            Set<Listener> set = new LinkedHashSet<>();
            set.add(one);
            set.add(l);
            byId.put(id, set);
        } else {
            set(v).add(l);
        }
    }

    void remove(String id, Listener l) {
        Object v = byId.get(id);
        if (v == l) {
            byId.remove(id);
        } else if (v instanceof Set<?>) {
            Set<Listener> set = set(v);
            set.remove(l);
            if (set.isEmpty()) byId.remove(id);
        }
    }

    /** Calls {@code action} for each listener of {@code id}; it must not change this table. */
    void forEach(String id, Consumer<Listener> action) {
        Object v = byId.get(id);
        if (v instanceof Listener one) {
            action.accept(one);
        } else if (v != null) {
            set(v).forEach(action);
        }
    }

    /**
     * Each listener of any of {@code ids} once, in the order met. {@code mark} tells a listener
     * already taken (one field on it instead of a set per call); the caller clears it.
     */
    List<Listener> listenersOf(Iterable<String> ids, Object mark) {
        List<Listener> out = new ArrayList<>();
        for (String id : ids) {
            forEach(id, l -> {
                if (l.mark != mark) {
                    l.mark = mark;
                    out.add(l);
                }
            });
        }
        return out;
    }

    /** The ids listened to now, a copy of references only (STATS walks it in slices). */
    String[] idArray() {
        return byId.keySet().toArray(new String[0]);
    }

    /** How many listeners {@code id} has. */
    int count(String id) {
        Object v = byId.get(id);
        return v == null ? 0 : v instanceof Listener ? 1 : set(v).size();
    }

    /** The first {@code max} listeners of {@code id}, in the order they came. */
    List<Listener> first(String id, int max) {
        Object v = byId.get(id);
        if (v == null) return List.of();
        if (v instanceof Listener one) return List.of(one);
        List<Listener> out = new ArrayList<>(max);
        for (Listener l : set(v)) {
            if (out.size() == max) break;
            out.add(l);
        }
        return out;
    }

    /**
     * STATS' {@code [connected_fhs]} lines for {@code listed} (the first ids by name; one gone
     * since is skipped), then how many ids were left out.
     */
    String connectedSection(Iterable<String> listed) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (String id : listed) {
            int n = count(id);
            if (n == 0) continue;
            shown++;
            List<String> cursors = new ArrayList<>();
            for (Listener l : first(id, StatsText.MAX_ITEMS)) cursors.add(l.cursors[l.indexOf(id)].text());
            sb.append(StatsText.connectionsLine(id, n, cursors));
        }
        return sb.append(StatsText.more(byId.size() - shown)).toString();
    }

    /** Every listener once. */
    Set<Listener> all() {
        Set<Listener> all = new LinkedHashSet<>();
        for (Object v : byId.values()) {
            if (v instanceof Listener one) all.add(one);
            else all.addAll(set(v));
        }
        return all;
    }

    int ids() {
        return byId.size();
    }

    @SuppressWarnings("unchecked")
    private static Set<Listener> set(Object v) {
        return (Set<Listener>) v;
    }
}
