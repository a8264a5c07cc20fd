package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batched publishes (PROTOCOL.md §3, "Batches"): several messages, each to its own ids, in one request. */
class BatchPublishTest {

    /** A batch body: per message "IDS LENGTH\n" + message + "\n". */
    static String body(String... idsAndMessages) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < idsAndMessages.length; i += 2) {
            sb.append(idsAndMessages[i])
                    .append(' ')
                    .append(Bytes.utf8(idsAndMessages[i + 1]).length)
                    .append('\n')
                    .append(idsAndMessages[i + 1])
                    .append('\n');
        }
        return sb.toString();
    }

    static byte[] batchRequest(String credentials, int count, String body, String extraHeaders) {
        byte[] b = Bytes.utf8(body);
        return Bytes.concat(
                Bytes.utf8("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + b.length + "\r\n"
                        + (credentials == null ? "" : "X-Realplexor: identifier=" + credentials + "@\r\n")
                        + "X-Realplexor-Batch: " + count + "\r\n" + extraHeaders + "\r\n"),
                b);
    }

    /** The answer's blocks, each the `ID CURSOR` lines of one message. */
    static List<String> blocks(byte[] got) {
        String text = E2eServer.okBody(got, "batch");
        assertTrue(
                text.endsWith("\n\n") || text.equals("\n") || text.isEmpty(), "blocks end with an empty line: " + text);
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int end =
                    text.charAt(from) == '\n' ? from - 1 : text.indexOf("\n\n", from); // an empty block is one line end
            out.add(text.substring(from, end + 1));
            from = end + 2;
        }
        return out;
    }

    private static String cursor(String block, String id) {
        for (String line : block.split("\n")) if (line.startsWith(id + " ")) return line.substring(id.length() + 1);
        throw new AssertionError("no " + id + " in " + block);
    }

    @Test
    void eachMessageGetsItsOwnBlockOfCursorsInOrder() {
        try (E2eServer s = E2eServer.start();
                Poll pa = s.listen("0:b_a");
                Poll pc = s.listen("0:b_c")) {
            List<String> got = blocks(s.inExchange(batchRequest(
                    null,
                    4,
                    body(
                            "b_a,b_b", "{\"m\":1}",
                            "10:b_c,0010.50:b_d", "{\"m\":2}",
                            "b_e,*b_lim", "\"limited\"",
                            "1e5:x", "\"no target\""),
                    "")));
            assertEquals(4, got.size(), "one block per message: " + got);
            assertEquals(cursor(got.get(0), "b_a"), cursor(got.get(0), "b_b"), "one message, one generated cursor");
            assertEquals("b_c 10\nb_d 0010.50\n", got.get(1), "given cursors, as given");
            assertEquals("b_e " + cursor(got.get(2), "b_e") + "\n", got.get(2), "a limiter is not a target");
            assertNotEquals(cursor(got.get(0), "b_a"), cursor(got.get(2), "b_e"), "each message its own cursor");
            assertEquals("", got.get(3), "a message whose items were all dropped: an empty block");
            assertBytes(
                    answer(part("{\"m\":1}", "b_a", cursor(got.get(0), "b_a"))),
                    pa.answerBytes(),
                    "message 1 delivered");
            assertBytes(answer(part("{\"m\":2}", "b_c", "10")), pc.answerBytes(), "message 2 delivered");
            // The limited message reaches a listener of the limiter only.
            try (Poll other = s.listen("0:b_e");
                    Poll member = s.listen("0:b_e,b_lim")) {
                assertTrue(Bytes.str(member.answerBytes()).contains("\"limited\""));
                other.assertWaiting();
            }
        }
    }

    @Test
    void aBadMessageInTheMiddleRefusesTheWholeBatch() {
        try (E2eServer s = E2eServer.start()) {
            String[] bad = {
                body("bb_1", "\"one\"", "bb_2", "", "bb_3", "\"three\""),
                body("bb_1", "\"one\"", "bb_2", "\"\u00ff\"", "bb_3", "\"three\"")
                        .replace("\u00ff", "\uFFFD"),
                body("bb_1", "\"one\"") + "bb_2 999\n\"two\"\n" + body("bb_3", "\"three\""),
                body("bb_1", "\"one\"", "bb_2 x", "\"two\"", "bb_3", "\"three\""),
                body("bb_1", "\"one\"", "bb_" + "x".repeat(300), "\"two\"", "bb_3", "\"three\""),
            };
            String[] why = {
                "batch message 2: the message body is empty; nothing was published\n",
                null, // (valid: the replacement character is UTF-8) checked below with raw bytes
                "batch message 2: its length 999 runs past the end of the body",
                "batch message 2: its ids may hold only letters, digits and _*,.: (not ' ')",
                "batch message 2: an id of 303 characters is longer than MAX_ID_LENGTH (256); nothing was published\n",
            };
            for (int i = 0; i < bad.length; i++) {
                if (why[i] == null) continue;
                String got = Bytes.str(s.inExchange(batchRequest(null, 3, bad[i], "")));
                assertTrue(got.startsWith("HTTP/1.0 400 Bad Request\r\n"), got);
                assertTrue(got.contains(why[i]), "case " + i + ": " + got);
            }
            // Invalid UTF-8 in message 2.
            byte[] m2 = {'"', (byte) 0xff, '"'};
            byte[] raw = Bytes.concat(
                    Bytes.utf8("bb_1 5\n\"one\"\nbb_2 3\n"), m2, Bytes.utf8("\n" + body("bb_3", "\"three\"")));
            byte[] head = Bytes.utf8(
                    "POST / HTTP/1.1\r\nContent-Length: " + raw.length + "\r\nX-Realplexor-Batch: 3\r\n\r\n");
            assertTrue(
                    Bytes.str(s.inExchange(Bytes.concat(head, raw)))
                            .contains(
                                    "batch message 2: the message body is not valid UTF-8 (byte offset 1); nothing was published"));
            // A count that does not match.
            assertTrue(Bytes.str(s.inExchange(batchRequest(null, 4, body("bb_1", "\"one\""), "")))
                    .contains("the batch holds 1 message(s), its X-Realplexor-Batch header says 4"));
            // Ids in the request's own identifier=.
            assertTrue(Bytes.str(s.inExchange(
                            batchRequest(null, 1, body("bb_1", "\"one\""), "X-Realplexor: identifier=bb_1\r\n")))
                    .contains("may carry only credentials"));
            // Nothing of any of them was stored.
            for (String id : new String[] {"bb_1", "bb_3"}) {
                try (Poll p = s.listen("0:" + id)) {
                    p.assertWaiting();
                }
            }
        }
    }

    @Test
    void aLoginReachesOnlyItsOwnIds() {
        try (E2eServer s =
                E2eServer.builder().users(E2eServer.USER_DES_LINE + "\n").start()) {
            List<String> got = blocks(s.inExchange(batchRequest(
                    "user:password",
                    2,
                    body(
                            "user_a,other", "\"mine\"",
                            "other", "\"not mine\""),
                    "")));
            assertEquals(2, got.size());
            assertEquals("user_a " + cursor(got.get(0), "user_a") + "\n", got.get(0), "other is skipped");
            assertEquals("", got.get(1));
            String denied = Bytes.str(s.inExchange(batchRequest(null, 1, body("user_a", "\"guest\""), "")));
            assertTrue(denied.startsWith("HTTP/1.0 403 Access Deined\r\n"), "no guests here: " + denied);
            String wrong = Bytes.str(s.inExchange(batchRequest("user:wrong", 1, body("user_a", "\"x\""), "")));
            assertTrue(wrong.startsWith("HTTP/1.0 403 Access Deined\r\n"), wrong);
        }
    }

    @Test
    void aRetriedBatchWithItsKeyIsStoredOnce() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("0:bk_a")) {
            String body = body("bk_a", "\"k1\"", "bk_b", "\"k2\"");
            byte[] first = s.inExchange(batchRequest(null, 2, body, "X-Realplexor-Idempotency-Key: batch-42\r\n"));
            byte[] again = s.inExchange(batchRequest(null, 2, body, "X-Realplexor-Idempotency-Key: batch-42\r\n"));
            assertBytes(first, again, "the retry gets the first answer");
            // A single publish with the batch key does not meet a batch message's key.
            String single = Bytes.str(s.inExchange(Bytes.concat(
                    Bytes.utf8("POST / HTTP/1.1\r\nContent-Length: 4\r\n"
                            + "X-Realplexor: identifier=bk_a\r\nX-Realplexor-Idempotency-Key: batch-42\r\n\r\n"),
                    Bytes.utf8("\"k3\""))));
            assertTrue(single.contains("bk_a "), single);
            assertTrue(Bytes.str(p.answerBytes()).contains("\"k1\""));
            try (Poll all = s.listen("0:bk_a")) {
                String text = Bytes.str(all.answerBytes());
                assertEquals(1, text.split("\"k1\"", -1).length - 1, "k1 stored once: " + text);
                assertTrue(text.contains("\"k3\""), text);
            }
        }
    }

    @Test
    void batchesGoOnAKeptConnection() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            for (int round = 0; round < 3; round++) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < 100; i++) b.append(body("bka_" + i, "{\"r\":" + round + "}"));
                c.send(batchRequest(null, 100, b.toString(), "Connection: keep-alive\r\n"));
                String got = InKeepAliveTest.readAnswer(c.inputStream());
                assertTrue(got.startsWith("HTTP/1.1 200 OK\r\n") && got.contains("Connection: keep-alive\r\n"), got);
                assertEquals(100, got.split("\n\n", -1).length - 1, "100 blocks after the head");
            }
            try (Poll p = s.listen("0:bka_99")) {
                assertTrue(Bytes.str(p.answerBytes()).contains("{\"r\":2}"));
            }
        }
    }
}
