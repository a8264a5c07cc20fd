package org.realplexor.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DrainSpreadTest {

    @ParameterizedTest(name = "{0} connections over {1} ms")
    @CsvSource({"0, 1000", "1, 0", "1, 1000", "7, 0", "7, 1000", "1000, 30000", "5000, 10"})
    void eachConnectionEndsOnceInItsOwnSlotOfTheWindow(int n, long spread) {
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < n; i++) held.add(i);
        long[] due = DrainSpread.shuffle(held, spread, new Random(n * 31L + spread));
        assertEquals(n, due.length);
        assertEquals(n, new HashSet<>(held).size()); // a permutation: nobody lost or twice
        for (int i = 0; i < n; i++) {
            assertTrue(
                    due[i] >= spread * i / n && due[i] <= Math.max(0, spread * (i + 1) / n),
                    "slot " + i + ": " + due[i]);
            assertTrue(spread == 0 ? due[i] == 0 : due[i] < spread);
            if (i > 0) assertTrue(due[i] >= due[i - 1]);
        }
    }
}
