package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The pure parts of ONLINE and STATS over big tables: sorting rows, keeping the first ids. */
class BoundedListingTest {

    @Test
    void onlineTableSortsLikeTheOriginalAndKeepsTheLastCountOfAnIdAddedTwice() {
        OnlineTable t = new OnlineTable();
        t.add("alpha", 1);
        t.add("10", 2);
        t.add("_u", 3);
        t.add("9", 4);
        t.add("Alpha", 5);
        t.add("10", 7);
        assertEquals("10 7\n9 4\nAlpha 5\n_u 3\nalpha 1\n", t.text());
        assertEquals("", new OnlineTable().text());
    }

    @Test
    void onlineTableSortsManyRowsAsATreeMapWould() {
        Random r = new Random(7);
        OnlineTable t = new OnlineTable();
        TreeMap<String, Integer> expected = new TreeMap<>();
        for (int i = 0; i < 50_000; i++) {
            String id = "id" + r.nextInt(30_000);
            t.add(id, i);
            expected.put(id, i);
        }
        StringBuilder sb = new StringBuilder();
        expected.forEach((id, n) -> sb.append(id).append(' ').append(n).append('\n'));
        assertEquals(sb.toString(), t.text());
    }

    @Test
    void firstSortedKeepsTheFirstKeysWithTheirLatestValues() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) keys.add(String.format("k%05d", i));
        Collections.shuffle(keys, new Random(3));
        FirstSorted<Integer> first = new FirstSorted<>(3);
        for (String k : keys) first.offer(k, 1);
        first.offer("k00001", 2);
        first.offer("k99999", 2);
        assertEquals(Map.of("k00000", 1, "k00001", 2, "k00002", 1), first.entries());
        assertEquals(
                List.of("k00000", "k00001", "k00002"),
                new ArrayList<>(first.entries().keySet()));
    }

    @Test
    void aStatsListSaysHowManyItemsItLeftOut() {
        assertEquals("[]", StatsText.list(List.of(), 0));
        assertEquals("[a, b]", StatsText.list(List.of("a", "b"), 2));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) many.add("c" + i);
        assertEquals("[c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, ... and 2 more]", StatsText.list(many, 12));
        assertEquals("[c0, ... and 4 more]", StatsText.list(List.of("c0"), 5));
        assertEquals("", StatsText.more(0));
        assertEquals("... and 3 more\n", StatsText.more(3));
    }
}
