package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A publish's identifier list read as targets and limiters, within a login's scope. */
class PublishTargetsTest {

    /** Items as written on the IN line: {@code [*][CURSOR:]ID}, space-separated. */
    private static List<Item> items(String text) {
        List<Item> out = new ArrayList<>();
        for (String w : text.trim().split(" +")) {
            if (w.isEmpty()) continue;
            boolean limiter = w.startsWith("*");
            if (limiter) w = w.substring(1);
            int colon = w.indexOf(':');
            Cursor c = colon < 0 ? null : Cursor.of(w.substring(0, colon));
            out.add(new Item(w.substring(colon + 1), c, limiter));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} publishes [{1}]")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                // login | items                     | targets (id=cursor, in order)  | limiters
                "NULL    | a b                        | a=null b=null                  | ''",
                "NULL    | 5:a *x b *y                | a=5 b=null                     | x y",
                "NULL    | 5:a b 7:a                  | b=null a=7                     | ''",
                "NULL    | *x *x a                    | a=null                         | x",
                "NULL    | *x                         | ''                             | x",
                "u       | u_a a u_b 3:uu_c           | u_a=null u_b=null              | ''",
                "u       | a *a b                     | ''                             | a",
                "u       | u_ u                       | u_=null                        | ''",
            })
    void targetsAndLimiters(String login, String items, String targets, String limiters) {
        PublishTargets t = PublishTargets.of(items(items), login);
        List<String> got = new ArrayList<>();
        t.targets().forEach((id, c) -> got.add(id + "=" + (c == null ? "null" : c.text())));
        assertEquals(targets, String.join(" ", got));
        assertEquals(limiters, String.join(" ", t.limiters()));
    }
}
