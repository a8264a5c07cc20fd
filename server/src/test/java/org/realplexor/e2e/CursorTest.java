package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cursors: verbatim echo, exact numeric comparison, generation, sharing, rotation (§3, §4, §6). */
class CursorTest {

    @Test
    void explicitCursorIsEchoedVerbatim() {
        try (E2eServer s = E2eServer.start()) {
            assertEquals(
                    Map.of("verb", "0010.50"),
                    s.publish("0010.50:verb", "\"v\""),
                    "publish answer keeps the cursor text");
            try (Poll p = s.listen("10.4:verb")) {
                assertBytes(
                        answer(part("\"v\"", "verb", "0010.50")), p.answerBytes(), "WAIT answer keeps the cursor text");
            }
        }
    }

    @Test
    void equalCursorIsNotDeliveredAndEqualityIsNumeric() {
        try (E2eServer s = E2eServer.start()) {
            s.send("100:eq", "\"a\"");
            // 100.0 == 100: the queued message is not newer than the listener's cursor.
            try (Poll p = s.listen("100.0:eq")) {
                p.assertWaiting();
                s.send("100.5:eq", "\"b\"");
                assertBytes(answer(part("\"b\"", "eq", "100.5")), p.answerBytes(), "only the strictly newer message");
            }
            try (Poll p = s.listen("0010.50:eq2")) {
                s.send("10.5:eq2", "\"same\"");
                p.assertWaiting();
                s.send("10.51:eq2", "\"newer\"");
                assertBytes(answer(part("\"newer\"", "eq2", "10.51")), p.answerBytes(), "10.5 equals 0010.50");
            }
        }
    }

    @Test
    void cursorsAreComparedAsNumbersNotStrings() {
        try (E2eServer s = E2eServer.start()) {
            s.send("9:num", "\"nine\"");
            // As strings "9" > "10"; as numbers 9 < 10, so this listener must not get it.
            try (Poll p = s.listen("10:num")) {
                p.assertWaiting();
                s.send("11:num", "\"eleven\"");
                assertBytes(answer(part("\"eleven\"", "num", "11")), p.answerBytes(), "9 is older than 10");
            }
            try (Poll p = s.listen("8.999:num")) {
                assertBytes(
                        answer(part("\"nine\"", "num", "9"), part("\"eleven\"", "num", "11")),
                        p.answerBytes(),
                        "8.999 < 9");
            }
        }
    }

    @Test
    void cursorsBeyondDoublePrecisionAreComparedExactly() {
        try (E2eServer s = E2eServer.start()) {
            s.send("1795310370.48286000100001:prec", "\"later\"");
            // A double cannot tell these apart; an exact comparison can.
            try (Poll p = s.listen("1795310370.48286000100000:prec")) {
                assertBytes(
                        answer(part("\"later\"", "prec", "1795310370.48286000100001")), p.answerBytes(), "1e-20 newer");
            }
            try (Poll p = s.listen("1795310370.482860001000010:prec")) {
                p.assertWaiting(); // equal (trailing zero), so not delivered
            }
        }
    }

    @Test
    void olderCursorPublishedWhileWaitingIsNotDelivered() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("100:low")) {
            s.send("50:low", "\"old\"");
            p.assertWaiting();
            s.send("150:low", "\"new\"");
            assertBytes(answer(part("\"new\"", "low", "150")), p.answerBytes(), "only the newer one");
        }
    }

    @Test
    void generatedCursorsAreUnixTimeAndStrictlyIncreasing() {
        try (E2eServer s = E2eServer.start()) {
            BigDecimal previous = BigDecimal.ZERO;
            for (int i = 0; i < 300; i++) {
                String c = s.send(i % 2 == 0 ? "gen_a" : "gen_b", "{\"i\":" + i + "}");
                assertTrue(c.matches("\\d+(\\.\\d+)?"), "cursor form: " + c);
                BigDecimal now = new BigDecimal(c);
                assertTrue(now.compareTo(previous) > 0, "cursor " + c + " after " + previous.toPlainString());
                previous = now;
            }
            double seconds = System.currentTimeMillis() / 1000.0;
            assertTrue(Math.abs(previous.doubleValue() - seconds) < 300, "Unix seconds expected, got " + previous);
        }
    }

    @Test
    void targetsWithoutCursorShareOneGeneratedCursor() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("sh1,sh3")) {
            Map<String, String> lines = s.publish("sh1,5:sh2,sh3", "\"x\"");
            assertEquals("5", lines.get("sh2"), "given cursor stored as given");
            assertEquals(lines.get("sh1"), lines.get("sh3"), "one generated cursor per publish");
            assertNotEquals("5", lines.get("sh1"));
            assertBytes(
                    answer(part("\"x\"", "sh1", lines.get("sh1"), "sh3", lines.get("sh3"))),
                    p.answerBytes(),
                    "one part");
        }
    }

    @Test
    void rotationDropsLowestCursorsNotOldestPublishes() {
        try (E2eServer s = E2eServer.start("MAX_DATA_FOR_ID", "3")) {
            for (String c : new String[] {"50", "10", "40", "20", "30"}) s.send(c + ":rot", "\"m" + c + "\"");
            try (Poll p = s.listen("0:rot")) {
                assertBytes(
                        answer(
                                part("\"m30\"", "rot", "30"),
                                part("\"m40\"", "rot", "40"),
                                part("\"m50\"", "rot", "50")),
                        p.answerBytes(),
                        "MAX_DATA_FOR_ID=3 keeps the three highest cursors");
            }
        }
    }

    @Test
    void rotationWithGeneratedCursorsKeepsTheNewest() {
        try (E2eServer s = E2eServer.start("MAX_DATA_FOR_ID", "2")) {
            s.send("rotg", "\"1\"");
            s.send("rotg", "\"2\"");
            String c3 = s.send("rotg", "\"3\"");
            String c4 = s.send("rotg", "\"4\"");
            try (Poll p = s.listen("0:rotg")) {
                assertBytes(
                        answer(part("\"3\"", "rotg", c3), part("\"4\"", "rotg", c4)),
                        p.answerBytes(),
                        "two newest kept");
            }
        }
    }
}
