package org.realplexor.hub;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.realplexor.protocol.Cursor;

/**
 * The idempotency keys of the embedded engine, owned by the Hub's thread: each key seen within
 * IDEMPOTENCY_WINDOW with the answer its first publish got, or, while that publish is under way,
 * the retries waiting for it. No I/O and no clock of its own (the caller says what time it is).
 *
 * <p>Memory is bounded by an estimate of each entry's size, counted against IDEMPOTENCY_BYTES.
 * A new key that would go past it is refused ({@link Full}) instead of the oldest key being
 * forgotten early: forgetting a key silently would let its retry store the message twice, which
 * is what the caller sent a key to prevent; a refusal says so and nothing is stored.
 *
 * <p>Entries are kept in arrival order and, with one window for all, expire in that order, so
 * each call drops the expired ones from the front at a cost of about one entry. After a reload
 * shortens the window, later entries may expire before earlier ones: a lookup never answers from
 * an expired entry, and its memory is given back when the front reaches it.
 */
final class PublishKeys {
    /**
     * Estimated bytes of an entry besides its key's characters and its answer: the map's node, the
     * entry, the key string's header, the answer map.
     */
    static final int ENTRY_BYTES = 200;
    /** Estimated bytes per target of an answer besides the id's characters: its map node and cursor. */
    static final int TARGET_BYTES = 64;

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private long bytes;

    /** A new key would take the table past its budget; nothing was published. */
    static final class Full extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Full(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Entry {
        final long expiresAt;
        final long size;
        /** The first publish's cursors; null while it is under way. */
        Map<String, Cursor> answer;
        /** Retries that arrived while the first publish was under way. */
        List<Promise<Map<String, Cursor>>> waiting;

        Entry(long expiresAt, long size) {
            this.expiresAt = expiresAt;
            this.size = size;
        }
    }

    /**
     * Looks {@code key} up. Known: the answer of its first publish, at once or when that publish
     * is done (then it fails as that one did). New: null, and the key is now claimed: the caller
     * publishes and reports with {@link #stored} or {@link #failed}.
     *
     * @param targets  the publish's targets, for the estimate of the answer's size
     * @param maxBytes the budget (IDEMPOTENCY_BYTES); a new key that would pass it throws {@link Full}
     */
    Future<Map<String, Cursor>> claim(
            String key, Map<String, Cursor> targets, long nowMillis, long windowMillis, long maxBytes) {
        dropExpired(nowMillis);
        Entry e = entries.get(key);
        if (e != null && (e.answer == null || e.expiresAt > nowMillis)) {
            if (e.answer != null) return Future.succeededFuture(e.answer);
            Promise<Map<String, Cursor>> p = Promise.promise();
            if (e.waiting == null) e.waiting = new ArrayList<>(2);
            e.waiting.add(p);
            return p.future();
        }
        if (e != null) remove(key); // expired, but behind a later-expiring one
        long size = estimate(key, targets);
        if (bytes + size > maxBytes) {
            throw new Full("the idempotency keys of the last IDEMPOTENCY_WINDOW=" + windowMillis / 1000.0
                    + "s already hold about " + bytes + " of IDEMPOTENCY_BYTES=" + maxBytes
                    + " bytes; nothing was published: try again later, or raise IDEMPOTENCY_BYTES");
        }
        entries.put(key, new Entry(nowMillis + windowMillis, size));
        bytes += size;
        return null;
    }

    /** The claimed key's publish was stored with these cursors: remembered, and told to waiting retries. */
    void stored(String key, Map<String, Cursor> answer) {
        Entry e = entries.get(key);
        if (e == null || e.answer != null) return;
        e.answer = answer;
        List<Promise<Map<String, Cursor>>> w = e.waiting;
        e.waiting = null;
        if (w != null) for (Promise<Map<String, Cursor>> p : w) p.complete(answer);
    }

    /**
     * The claimed key's publish failed: the key is forgotten (nothing was stored, so a later
     * retry may store it) and waiting retries fail alike.
     */
    void failed(String key, Throwable cause) {
        Entry e = entries.get(key);
        if (e == null || e.answer != null) return;
        remove(key);
        if (e.waiting != null) for (Promise<Map<String, Cursor>> p : e.waiting) p.fail(cause);
    }

    int size() {
        return entries.size();
    }

    /** The estimated bytes held, counted against the budget. */
    long bytes() {
        return bytes;
    }

    private void dropExpired(long nowMillis) {
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.answer == null || e.expiresAt > nowMillis) return;
            it.remove();
            bytes -= e.size;
        }
    }

    private void remove(String key) {
        Entry e = entries.remove(key);
        if (e != null) bytes -= e.size;
    }

    static long estimate(String key, Map<String, Cursor> targets) {
        long size = ENTRY_BYTES + key.length();
        for (String id : targets.keySet()) size += TARGET_BYTES + id.length();
        return size;
    }
}
