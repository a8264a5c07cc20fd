package org.realplexor.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of {@link Realplexor#sendBatch}: its target ids (with or without cursors), its
 * data and, optionally, the ids a listener must also listen to in order to see it.
 */
public final class BatchMessage {
    final Map<String, ?> idsAndCursors;
    final Object data;
    final Collection<String> showOnlyForIds;

    private BatchMessage(Map<String, ?> idsAndCursors, Object data, Collection<String> showOnlyForIds) {
        this.idsAndCursors = Objects.requireNonNull(idsAndCursors, "idsAndCursors");
        this.data = data;
        this.showOnlyForIds = showOnlyForIds;
    }

    /**
     * A message to {@code ids} (without the namespace), each with a cursor the server generates.
     *
     * @param ids  target ids, each {@code \w+}
     * @param data any object Jackson can serialize, or {@link RawJson}
     * @return the message
     */
    public static BatchMessage of(Collection<String> ids, Object data) {
        Objects.requireNonNull(ids, "ids");
        Map<String, Object> noCursors = new LinkedHashMap<>();
        for (String id : ids) noCursors.put(id, null);
        return new BatchMessage(noCursors, data, null);
    }

    /**
     * A message to one id.
     *
     * @param id   target id (without the namespace), {@code \w+}
     * @param data any object Jackson can serialize, or {@link RawJson}
     * @return the message
     */
    public static BatchMessage of(String id, Object data) {
        return of(List.of(id), data);
    }

    /**
     * A message with given cursors (null: generated) and limiters, as {@link Realplexor#send(Map, Object, Collection)}.
     *
     * @param idsAndCursors  target ids mapped to cursors, or to null
     * @param data           any object Jackson can serialize, or {@link RawJson}
     * @param showOnlyForIds limiter ids (without the namespace), or null
     * @return the message
     */
    public static BatchMessage of(Map<String, ?> idsAndCursors, Object data, Collection<String> showOnlyForIds) {
        return new BatchMessage(idsAndCursors, data, showOnlyForIds);
    }
}
