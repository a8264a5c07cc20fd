package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CursorTest {

    @ParameterizedTest
    @CsvSource({"0,true", "10,true", "0010.50,true", "1795310370.48286000100000,true",
        "'',false", "1e5,false", "12.,false", ".5,false", "-1,false", "1.2.3,false", "'1 ',false", "+1,false"})
    void validForms(String text, boolean valid) {
        assertEquals(valid, Cursor.isValid(text));
        if (!valid) assertThrows(IllegalArgumentException.class, () -> Cursor.of(text));
    }

    @ParameterizedTest
    @CsvSource({
        "100,100.0,0",
        "0010.50,10.5,0",
        "9,10,-1",
        "1795310370.48286000100000,1795310370.48286000100001,-1",
        "1795310370.48286000200000,1795310370.48286000100000,1",
        "99999999999999999999.1,99999999999999999999.01,1",
    })
    void comparesExactly(String a, String b, int sign) {
        assertEquals(sign, Integer.signum(Cursor.of(a).compareTo(Cursor.of(b))));
        assertEquals(sign > 0, Cursor.of(a).isAfter(Cursor.of(b)));
    }

    @Test
    void keepsTheTextVerbatim() {
        assertEquals("0010.50", Cursor.of("0010.50").text());
        assertEquals(Cursor.of("100"), Cursor.of("100.00"));
        assertEquals(Cursor.of("100").hashCode(), Cursor.of("100.00").hashCode());
    }

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
