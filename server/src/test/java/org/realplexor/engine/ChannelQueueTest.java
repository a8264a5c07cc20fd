package org.realplexor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.realplexor.protocol.Cursor;

/**
 * One id's queue, read "after a cursor" by binary search. Its rules (strictly greater, by value,
 * rotation by lowest cursor) are the engine contract's: see {@link EngineContractTest}.
 */
class ChannelQueueTest {

    private static StoredMessage message(String text, String cursor) {
        TreeMap<String, Cursor> cursors = new TreeMap<>();
        cursors.put("id", Cursor.of(cursor));
        return new StoredMessage(text.getBytes(StandardCharsets.UTF_8), cursors, Set.of());
    }

    private static ChannelQueue queueOf(int max, String... cursors) {
        ChannelQueue q = new ChannelQueue();
        for (String c : cursors) q.add(Cursor.of(c), message("m" + c, c), max);
        return q;
    }

    private static List<String> texts(List<StoredMessage> ms) {
        return ms.stream()
                .map(m -> new String(m.data(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void afterOnAnEmptyQueueIsEmpty() {
        assertTrue(new ChannelQueue().after(Cursor.of("0")).isEmpty());
    }

    @Test
    void afterMatchesAWalkOfTheQueueForEveryCursor() {
        ChannelQueue q = queueOf(50, "3", "1.5", "7", "2", "11", "0.25", "7.5", "4");
        List<StoredMessage> all = q.after(Cursor.of("0"));
        for (String c : List.of("0", "0.25", "1", "1.5", "2", "3.9", "4", "7", "7.49", "7.5", "10", "11", "12")) {
            Cursor at = Cursor.of(c);
            List<StoredMessage> walked =
                    all.stream().filter(m -> m.cursors().get("id").isAfter(at)).toList();
            assertEquals(texts(walked), texts(q.after(at)), "after " + c);
        }
    }
}
