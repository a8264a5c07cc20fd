package org.realplexor.engine.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * The blob a message travels and rests in (written by the publish script, read from the queues
 * and from pub/sub): three ASCII header lines, then the data byte for byte.
 *
 * <pre>
 * SEQ GENERATED EPOCH [ID]\n  message number; the cursor generated for it, or "-"; the store's
 *                           epoch it was numbered in (absent in blobs of older versions); on a
 *                           Redis Cluster, the target id whose part (queue, slot) this copy is
 * ID CURSOR ID CURSOR...\n  its cursor under each target (ids are \w+, so spaces separate)
 * LIMITER LIMITER...\n      visibility limiters, possibly none
 * DATA
 * </pre>
 */
final class MessageCodec {
    private MessageCodec() {}

    /**
     * A decoded blob: its number, the cursor generated for it (or null), its epoch (or null), the
     * message; {@code part} the id whose copy this is (REDIS_MODE=cluster), else null.
     */
    record Decoded(long seq, Cursor generated, String epoch, StoredMessage message, String part) {}

    static Decoded decode(byte[] b) {
        int l1 = indexOf(b, 0);
        int l2 = indexOf(b, l1 + 1);
        int l3 = indexOf(b, l2 + 1);
        String[] head = ascii(b, 0, l1).split(" ");
        String[] pairs = ascii(b, l1 + 1, l2).split(" ");
        String limiters = ascii(b, l2 + 1, l3);
        SortedMap<String, Cursor> cursors = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) cursors.put(pairs[i], Cursor.of(pairs[i + 1]));
        Set<String> lims = new LinkedHashSet<>();
        if (!limiters.isEmpty()) lims.addAll(Arrays.asList(limiters.split(" ")));
        byte[] data = Arrays.copyOfRange(b, l3 + 1, b.length);
        Cursor generated = head[1].equals("-") ? null : Cursor.of(head[1]);
        String epoch = head.length > 2 ? head[2] : null;
        String part = head.length > 3 ? head[3] : null;
        return new Decoded(Long.parseLong(head[0]), generated, epoch, new StoredMessage(data, cursors, lims), part);
    }

    /** The message number alone, without decoding the rest. */
    static long seqOf(byte[] b) {
        long n = 0;
        for (int i = 0; i < b.length && b[i] != ' '; i++) n = n * 10 + (b[i] - '0');
        return n;
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == '\n') return i;
        throw new IllegalArgumentException("not a message blob: a header line is missing");
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }
}
