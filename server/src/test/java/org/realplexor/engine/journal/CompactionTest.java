package org.realplexor.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.config.Settings;
import org.realplexor.engine.LocalEngine;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * The journal in one process: rewritten as a snapshot once it outgrows the live state (the old
 * file goes, a new one goes on), and what a close writes reads back the same. The engine runs on
 * a single thread standing in for the Hub's.
 */
class CompactionTest {
    private final ExecutorService hub = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        hub.shutdownNow();
    }

    private <T> T onHub(Callable<T> c) throws Exception {
        return hub.submit(c).get(30, TimeUnit.SECONDS);
    }

    /** A target whose cursor the engine generates (null: Map.of takes none). */
    private static Map<String, Cursor> generated(String id) {
        Map<String, Cursor> m = new java.util.HashMap<>();
        m.put(id, null);
        return m;
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every id's queue as text: cursor=data, lowest first. */
    private static Map<String, List<String>> queues(LocalEngine e, int ids) {
        Map<String, Cursor> from = new LinkedHashMap<>();
        for (int i = 0; i < ids; i++) from.put("c" + i, Cursor.of("0"));
        Map<String, List<String>> out = new LinkedHashMap<>();
        e.queuedAfter(from).result().forEach((id, ms) -> {
            List<String> texts = new ArrayList<>();
            for (StoredMessage m : ms)
                texts.add(m.cursors().get(id) + "=" + new String(m.data(), StandardCharsets.UTF_8));
            out.put(id, texts);
        });
        return new java.util.TreeMap<>(out);
    }

    @TempDir
    Path dir;

    @Test
    void aJournalPastSeveralTimesTheLiveStateIsRewrittenAndReadsBackTheSame() throws Exception {
        Settings s = Settings.defaults()
                .with(Map.of("DATA_DIR", dir.toString(), "JOURNAL_FSYNC", "no", "MAX_DATA_FOR_ID", "5"));
        LocalEngine e = JournaledEngines.open(s, hub, hub, 100_000);
        String pad = "x".repeat(1000);
        Map<String, List<String>> before = onHub(() -> {
            for (int k = 0; k < 2000; k++) {
                e.publish(generated("c" + (k % 10)), List.of(), ("{\"k\":" + k + ",\"p\":\"" + pad + "\"}").getBytes());
                if (k % 100 == 99) e.tick(System.currentTimeMillis());
            }
            return queues(e, 10);
        });
        long deadline = System.currentTimeMillis() + 20_000;
        while (files(dir).contains("journal-0.log") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            onHub(() -> {
                e.tick(System.currentTimeMillis());
                return null;
            });
        }
        List<String> after = files(dir);
        assertTrue(after.contains("snapshot") && !after.contains("journal-0.log"), "compacted: " + after);
        onHub(() -> e.publish(generated("c0"), List.of(), "{\"last\":1}".getBytes()));
        Map<String, List<String>> withLast = onHub(() -> queues(e, 10));
        onHub(() -> e.close());
        LocalEngine again = JournaledEngines.open(s, hub, hub, 100_000);
        assertEquals(withLast, onHub(() -> queues(again, 10)));
        assertEquals(5, before.get("c3").size());
        onHub(() -> again.close());
    }

    @Test
    void theClockGivesCursorsAboveTheLastOneGivenOutEvenWhenTheWallClockIsBehind() {
        Cursor future = Cursor.of("4102444800.00000100000007"); // 2100-01-01
        Cursor next = JournaledEngines.clockAbove(future).next();
        assertTrue(next.isAfter(future), next + " after " + future);
        assertTrue(JournaledEngines.clockAbove(null).next().isAfter(Cursor.of("1700000000")));
    }
}
