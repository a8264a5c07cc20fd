package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of WATCH: its position argument, its body, and the id prefixes it shares with ONLINE. */
class WatchTextTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "NULL | -1",
                "''   | -1",
                "0    | -1",
                "0.0  | -1",
                "000  | -1",
                ".    | -1",
                "-1   | -1",
                "+5   | -1",
                "abc  | -1",
                "1e3  | -1",
                "' 5' | -1",
                "5    | 5",
                "007  | 7",
                "10.5 | 10",
                "10.  | 10",
                ".5   | 0",
                "0.9  | 0",
                "9223372036854775806 | 9223372036854775806",
                "9223372036854775807 | 9223372036854775807",
                "99999999999999999999999 | 9223372036854775807",
            })
    void parsePosition(String pos, long expected) {
        assertEquals(expected, WatchText.parsePosition(pos));
    }

    @Test
    void newestEventPerIdInPositionOrder() {
        WatchText t = new WatchText();
        t.add(1, "online", "a");
        t.add(2, "online", "b");
        t.add(3, "offline", "a");
        t.add(4, "online", "c");
        assertEquals("online 2:b\noffline 3:a\nonline 4:c\n", t.text());
        assertEquals("", new WatchText().text());
    }

    @Test
    void fakeLineNamesTheNextPosition() {
        assertEquals("FAKE 42:FAKE\n", WatchText.fake(42));
    }

    @ParameterizedTest(name = "{0} reaches [{1}]: {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "NULL  | abc            | true",
                "NULL  | alice_news     | true",
                "NULL  | ''             | true",
                "alice | alice_news     | true",
                "alice | alice_         | true",
                "alice | alice__x       | true",
                "alice | alice          | false",
                "alice | alicex_news    | false",
                "alice | Alice_news     | false",
                "alice | bob_alice_news | false",
                "alice | abc            | false",
                "alice | ''             | false",
            })
    void loginScope(String login, String id, boolean expected) {
        assertEquals(expected, IdPrefixes.inScope(login, id));
    }

    @Test
    void prefixesWithinALoginsScope() {
        List<String> none = List.of();
        assertEquals(none, IdPrefixes.scope(null, none));
        assertEquals(List.of("x", "u_a"), IdPrefixes.scope(null, List.of("x", "u_a")));
        assertEquals(List.of("u_a", "u_"), IdPrefixes.scope("u", List.of("x", "u_a", "uu_b", "u_")));
        assertNull(IdPrefixes.scope("u", none));
        assertNull(IdPrefixes.scope("u", List.of("x", "u")));
        assertTrue(IdPrefixes.matches("anything", none));
        assertTrue(IdPrefixes.matches("u_abc", List.of("x", "u_a")));
        assertFalse(IdPrefixes.matches("u_b", List.of("x", "u_a")));
    }

    @Test
    void statsConnectionsLine() {
        assertEquals("a => 2 connection(s) at [1.0, 2.0]\n", StatsText.connectionsLine("a", 2, List.of("1.0", "2.0")));
        assertEquals(
                "a => 12 connection(s) at [1, 2, ... and 10 more]\n",
                StatsText.connectionsLine("a", 12, List.of("1", "2")));
    }
}
