package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CursorTest {

    @ParameterizedTest
    @CsvSource({
        "0,true",
        "10,true",
        "0010.50,true",
        "1795310370.48286000100000,true",
        "'',false",
        "1e5,false",
        "12.,false",
        ".5,false",
        "-1,false",
        "1.2.3,false",
        "'1 ',false",
        "+1,false"
    })
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
}
