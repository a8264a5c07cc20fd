package org.realplexor.hub;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

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

    /** Every id with its listeners (for STATS). */
    void forEachId(BiConsumer<String, Collection<Listener>> action) {
        byId.forEach((id, v) -> action.accept(id, v instanceof Listener one ? List.of(one) : set(v)));
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
