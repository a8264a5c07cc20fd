package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Publishing on IN and the byte-exact answer on WAIT (PROTOCOL.md §3, §4). */
class DeliveryTest {

    @Test
    void messageStoredBeforeAnyoneListensReachesLateListenerWithOldCursor() {
        try (E2eServer s = E2eServer.start()) {
            String c = s.send("late", "{\"n\":1}");
            try (Poll p = s.listen("0:late")) {
                assertBytes(answer(part("{\"n\":1}", "late", c)), p.answerBytes(), "queued message at registration");
            }
        }
    }

    @Test
    void listenThenPublishHeadFirstThenTheAnswer() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("live")) {
            // listen() already read the head before anything was published.
            p.assertWaiting();
            String c = s.send("live", "{\"x\":\"y\"}");
            assertBytes(answer(part("{\"x\":\"y\"}", "live", c)), p.answerBytes(), "answer after publish");
        }
    }

    @Test
    void oneMessageOnTwoIdsComesOnceNamingBothSortedBytewise() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("beta,Alpha,gamma")) {
            Map<String, String> lines = s.publish("beta,Alpha,zeta", "\"both\"");
            assertEquals(Set.of("beta", "Alpha", "zeta"), lines.keySet(), "one answer line per target");
            String c = lines.get("beta");
            // zeta is not listened to by this connection, so it is not named.
            assertBytes(answer(part("\"both\"", "Alpha", c, "beta", c)), p.answerBytes(), "one part naming both ids");
        }
    }

    @Test
    void idWithoutCursorGetsOnlyWhatIsPublishedFromNowOn() {
        try (E2eServer s = E2eServer.start()) {
            s.send("fresh", "\"old\"");
            try (Poll p = s.listen("fresh")) {
                p.assertWaiting();
                String c = s.send("fresh", "\"new\"");
                assertBytes(
                        answer(part("\"new\"", "fresh", c)),
                        p.answerBytes(),
                        "queued message not sent to a cursor-less listener");
            }
        }
    }

    @Test
    void queuedPartsSortedByCursorNumerically() {
        try (E2eServer s = E2eServer.start()) {
            s.send("100:sa", "\"c\"");
            s.send("9:sb", "\"a\"");
            s.send("10:sa", "\"b\"");
            try (Poll p = s.listen("0:sa,0:sb")) {
                assertBytes(
                        answer(part("\"a\"", "sb", "9"), part("\"b\"", "sa", "10"), part("\"c\"", "sa", "100")),
                        p.answerBytes(),
                        "parts in numeric cursor order (9 < 10 < 100)");
            }
        }
    }

    @Test
    void equalCursorsOrderedByRawData() {
        try (E2eServer s = E2eServer.start()) {
            s.send("7:ta", "\"zz\"");
            s.send("7:tb", "\"aa\"");
            try (Poll p = s.listen("0:ta,0:tb")) {
                assertBytes(
                        answer(part("\"aa\"", "tb", "7"), part("\"zz\"", "ta", "7")),
                        p.answerBytes(),
                        "tie broken by data bytes");
            }
        }
    }

    @Test
    void eachIdOfAMessageCarriesItsOwnCursor() {
        try (E2eServer s = E2eServer.start()) {
            assertEquals(Map.of("ca", "5", "cb", "7"), s.publish("5:ca,7:cb", "\"two cursors\""), "publish answer");
            try (Poll p = s.listen("0:cb,0:ca")) {
                assertBytes(
                        answer(part("\"two cursors\"", "ca", "5", "cb", "7")),
                        p.answerBytes(),
                        "one part, a cursor per id");
            }
        }
    }

    @Test
    void eachListenerSeesOnlyItsOwnIdsOfAMessage() {
        try (E2eServer s = E2eServer.start();
                Poll a = s.listen("own1");
                Poll b = s.listen("own2")) {
            Map<String, String> lines = s.publish("own1,own2", "\"shared\"");
            assertBytes(answer(part("\"shared\"", "own1", lines.get("own1"))), a.answerBytes(), "listener of own1");
            assertBytes(answer(part("\"shared\"", "own2", lines.get("own2"))), b.answerBytes(), "listener of own2");
        }
    }

    @Test
    void twoListenersOnOneIdBothGetIt() {
        try (E2eServer s = E2eServer.start();
                Poll a = s.listen("pair");
                Poll b = s.listen("pair")) {
            String c = s.send("pair", "{\"to\":\"both\"}");
            String expected = answer(part("{\"to\":\"both\"}", "pair", c));
            assertBytes(expected, a.answerBytes(), "first listener");
            assertBytes(expected, b.answerBytes(), "second listener");
        }
    }

    @Test
    void idListedTwiceOnWaitCountsOnce() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("dup,dup")) {
            assertEquals("dup 1\n", s.online(), "one connection listing an id twice");
            String c = s.send("dup", "\"once\"");
            assertBytes(answer(part("\"once\"", "dup", c)), p.answerBytes(), "id named once");
        }
    }

    @Test
    void targetListedTwiceOnInStoredOnce() {
        try (E2eServer s = E2eServer.start()) {
            Map<String, String> lines = s.publish("twice,twice", "\"one\"");
            assertEquals(List.of("twice"), new ArrayList<>(lines.keySet()), "answer lines");
            try (Poll p = s.listen("0:twice")) {
                assertBytes(answer(part("\"one\"", "twice", lines.get("twice"))), p.answerBytes(), "stored once");
            }
        }
    }

    @Test
    void starOnWaitLineIsAnOrdinaryId() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("*starred")) {
            assertEquals("starred 1\n", s.online(), "*starred listens to starred");
            String c = s.send("starred", "\"s\"");
            assertBytes(answer(part("\"s\"", "starred", c)), p.answerBytes(), "delivered to *starred");
        }
    }

    @Test
    void credentialsOnWaitLineAreIgnored() {
        try (E2eServer s = E2eServer.builder()
                        .users(":\n" + E2eServer.USER_DES_LINE + "\n")
                        .start();
                Poll p = s.listen("nobody:wrong@credwait")) {
            assertEquals("credwait 1\n", s.online(), "listening despite unknown credentials");
            String c = s.send("credwait", "\"c\"");
            assertBytes(answer(part("\"c\"", "credwait", c)), p.answerBytes(), "delivered");
        }
    }

    @Test
    void malformedItemsAreDroppedOnWait() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("1e5:xa,12.:xb,.5:xc,1234:*xd,xe:xf:xg,,good")) {
            assertEquals("good 1\n", s.online(), "only the well-formed item is listened to");
            String c = s.send("good", "\"g\"");
            assertBytes(answer(part("\"g\"", "good", c)), p.answerBytes(), "delivered");
        }
    }

    @Test
    void malformedItemsAreDroppedOnIn() {
        try (E2eServer s = E2eServer.start()) {
            Map<String, String> lines = s.publish("1e5:ya,12.:yb,.5:yc,1234:*yd,ye:yf:yg,,okin", "\"k\"");
            assertEquals(List.of("okin"), new ArrayList<>(lines.keySet()), "only the well-formed target is stored");
        }
    }

    @Test
    void hundredKilobytePayloadArrivesByteExact() {
        try (E2eServer s = E2eServer.start()) {
            String data = "{\"big\":\"" + "x".repeat(100 * 1024 - 10) + "\"}";
            String c = s.send("big", data);
            try (Poll p = s.listen("0:big")) {
                assertBytes(answer(part(data, "big", c)), p.answerBytes(), "100 KB message");
            }
        }
    }

    @Test
    void rawUtf8JsonIsSplicedByteExact() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("utf")) {
            String data = "{\"text\":\"Привет, 世界 🎉 é\",\"esc\":\"\\u00e9\\\"\"}";
            String c = s.send("utf", data);
            assertBytes(answer(part(data, "utf", c)), p.answerBytes(), "raw UTF-8 untouched");
        }
    }

    @Test
    void bodyIsNeverValidatedAsJson() {
        // Any UTF-8 goes, JSON or not; bytes that are not UTF-8 are refused (Utf8BodyTest).
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("opaque")) {
            byte[] body = {'<', (byte) 0xC3, (byte) 0xA9, '(', (byte) 0xEF, (byte) 0xBF, (byte) 0xBE, 0x01, 0x7F, '>'};
            Map<String, String> lines = s.publish("opaque", body);
            byte[] expected = Bytes.concat(
                    Bytes.utf8("[\n  {\n    \"ids\": { \"opaque\": \"" + lines.get("opaque") + "\" },\n    \"data\": "),
                    body,
                    Bytes.utf8("\n  }\n]"));
            assertBytes(
                    expected,
                    p.answerBytes(),
                    "non-JSON bytes (control characters, a noncharacter) spliced as they are");
        }
    }

    @Test
    void multiLineDataStartsOnTheLineAfterData() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("ml")) {
            // Contains a blank line of its own: only the first blank line of the request ends the headers.
            String data = "{\n  \"a\": 1,\r\n\r\n  \"b\": 2\n}";
            String c = s.send("ml", data);
            assertBytes(
                    "[\n  {\n    \"ids\": { \"ml\": \"" + c + "\" },\n    \"data\":\n" + data + "\n  }\n]",
                    p.answerBytes(),
                    "multi-line data placement");
        }
    }

    @Test
    void fiftyIdsListenedViaPostBody() {
        try (E2eServer s = E2eServer.start()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) ids.add("channel_number_" + i);
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                s.send((i + 1) + ":" + ids.get(i), "{\"i\":" + i + "}");
                parts.add(part("{\"i\":" + i + "}", ids.get(i), String.valueOf(i + 1)));
            }
            Map<String, String> all = s.publish(String.join(",", ids), "\"all\"");
            List<String> sorted = new ArrayList<>(ids);
            sorted.sort(null);
            List<String> idCursor = new ArrayList<>();
            for (String id : sorted) {
                idCursor.add(id);
                idCursor.add(all.get(id));
            }
            parts.add(part("\"all\"", idCursor.toArray(new String[0])));

            StringBuilder list = new StringBuilder("identifier=");
            for (int i = 0; i < 50; i++)
                list.append(i == 0 ? "" : ",").append("0:").append(ids.get(i));
            String body = list + "\n";
            String request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body;
            try (Poll p = s.listenRaw(request)) {
                assertBytes(
                        answer(parts.toArray(new String[0])),
                        p.answerBytes(),
                        "50 queued parts plus one naming all 50 ids");
            }
        }
    }
}
