package org.realplexor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.realplexor.protocol.Cursor;

/** The cursors the engines give stored messages. */
class CursorClockTest {

    @Test
    void generatedCursorsIncreaseEvenWhenTheClockStandsStillOrStepsBack() {
        long[] now = {1_795_310_370_482_860L};
        CursorClock clock = new CursorClock(() -> now[0]);
        Cursor prev = clock.next();
        assertEquals("1795310370.48286000000000", prev.text());
        Set<Cursor> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            if (i == 500) now[0] -= 5_000_000;
            if (i == 700) now[0] += 10_000_000;
            Cursor c = clock.next();
            assertTrue(c.isAfter(prev), c + " after " + prev);
            assertTrue(seen.add(c));
            prev = c;
        }
        assertEquals(25, prev.text().length());
    }

    @Test
    void formatPadsMicrosAndCounter() {
        assertEquals("12.00000500000007", CursorClock.format(12_000_005L, 7).text());
    }
}
