package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Publishes that carry X-Realplexor-Idempotency-Key, embedded engine: a repeat within
 * IDEMPOTENCY_WINDOW stores nothing and gets the first answer, byte for byte.
 */
class IdempotentPublishTest {
    private static final String KEY_HEADER = "X-Realplexor-Idempotency-Key";

    /** A guest line and two logins, both with the password "password" ({SHA} form). */
    private static final String USERS =
            ":\nalice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n";

    /** The PHP API's request with the key header added ({@code key} null: none). */
    static byte[] keyed(String identifierValue, String key, String body) {
        byte[] b = Bytes.utf8(body);
        String head = "POST / HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Content-Length: " + b.length + "\r\n"
                + "X-Realplexor: identifier=" + identifierValue + "\r\n"
                + (key == null ? "" : KEY_HEADER + ": " + key + "\r\n")
                + "\r\n";
        return Bytes.concat(Bytes.utf8(head), b);
    }

    private static String cursorOf(byte[] publishAnswer, String id) {
        Map<String, String> lines = E2eServer.parsePublishAnswer(publishAnswer);
        assertEquals(List.of(id), List.copyOf(lines.keySet()), "answer lines");
        return lines.get(id);
    }

    @Test
    void theSameKeyTwiceStoresOnceAndAnswersTheFirstAnswer() {
        try (E2eServer s = E2eServer.start()) {
            try (Poll waiting = s.listen("idem_a")) {
                byte[] first = s.inExchange(keyed("idem_a", "k-1", "\"first\""));
                String c = cursorOf(first, "idem_a");
                assertBytes(
                        answer(part("\"first\"", "idem_a", c)), waiting.answerBytes(), "the listener gets the first");
                byte[] retry = s.inExchange(keyed("idem_a", "k-1", "\"retry\""));
                assertBytes(first, retry, "the retry's answer is the first answer, byte for byte");
                try (Poll after = s.listen(c + ":idem_a")) {
                    after.assertWaiting(); // the retry was not stored: nothing after the first's cursor
                }
            }
            try (Poll all = s.listen("0:idem_a")) {
                String c = cursorOf(s.inExchange(keyed("idem_a", "k-1", "\"third\"")), "idem_a");
                assertBytes(answer(part("\"first\"", "idem_a", c)), all.answerBytes(), "one message queued");
            }
        }
    }

    @Test
    void aRepeatGetsTheFirstAnswerEvenForOtherTargetsAndGivenCursors() {
        try (E2eServer s = E2eServer.start()) {
            byte[] first = s.inExchange(keyed("10.5:idem_g,idem_h,*idem_lim", "k-2", "\"one\""));
            Map<String, String> lines = E2eServer.parsePublishAnswer(first);
            assertEquals(List.of("idem_g", "idem_h"), List.copyOf(lines.keySet()));
            assertEquals("10.5", lines.get("idem_g"));
            assertBytes(
                    first, s.inExchange(keyed("idem_other", "k-2", "\"two\"")), "answered as the first, in its order");
            try (Poll p = s.listen("0:idem_other")) {
                p.assertWaiting();
            }
        }
    }

    @Test
    void withoutAKeyEveryPublishIsStored() {
        try (E2eServer s = E2eServer.start()) {
            String c1 = cursorOf(s.inExchange(keyed("idem_n", null, "1")), "idem_n");
            String c2 = cursorOf(s.inExchange(keyed("idem_n", null, "2")), "idem_n");
            assertNotEquals(c1, c2);
            String c3 = cursorOf(s.inExchange(keyed("idem_n", "other", "3")), "idem_n");
            try (Poll p = s.listen("0:idem_n")) {
                assertBytes(
                        answer(part("1", "idem_n", c1), part("2", "idem_n", c2), part("3", "idem_n", c3)),
                        p.answerBytes(),
                        "three messages");
            }
        }
    }

    @Test
    void keysAreScopedPerLogin() {
        try (E2eServer s = E2eServer.builder().users(USERS).start()) {
            String a = cursorOf(s.inExchange(keyed("alice:password@alice_x", "shared", "\"a\"")), "alice_x");
            String b = cursorOf(s.inExchange(keyed("bob:password@bob_x", "shared", "\"b\"")), "bob_x");
            String g = cursorOf(s.inExchange(keyed("guest_x", "shared", "\"g\"")), "guest_x");
            assertBytes(
                    Expect.ok("alice_x " + a + "\n"),
                    s.inExchange(keyed("alice:password@alice_x", "shared", "\"a2\"")),
                    "alice's own repeat is answered");
            for (String[] idData :
                    List.of(new String[] {"alice_x", a, "\"a\""}, new String[] {"bob_x", b, "\"b\""}, new String[] {
                        "guest_x", g, "\"g\""
                    })) {
                try (Poll p = s.listen("0:" + idData[0])) {
                    assertBytes(
                            answer(part(idData[2], idData[0], idData[1])), p.answerBytes(), "stored for " + idData[0]);
                }
            }
        }
    }

    @Test
    void afterTheWindowTheKeyStoresAgain() throws InterruptedException {
        try (E2eServer s = E2eServer.start("IDEMPOTENCY_WINDOW", "0.4")) {
            String c1 = cursorOf(s.inExchange(keyed("idem_w", "k-w", "1")), "idem_w");
            assertEquals(c1, cursorOf(s.inExchange(keyed("idem_w", "k-w", "x")), "idem_w"), "within the window");
            Thread.sleep(700);
            String c2 = cursorOf(s.inExchange(keyed("idem_w", "k-w", "2")), "idem_w");
            assertNotEquals(c1, c2, "past the window the key is new");
            try (Poll p = s.listen("0:idem_w")) {
                assertBytes(answer(part("1", "idem_w", c1), part("2", "idem_w", c2)), p.answerBytes(), "two messages");
            }
        }
    }

    @Test
    void concurrentDuplicatesStoreOnceAndAllGetTheSameAnswer() throws Exception {
        try (E2eServer s = E2eServer.start()) {
            int keys = 20;
            int copies = 8;
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<byte[]>> answers = new ArrayList<>();
                for (int c = 0; c < copies; c++) {
                    for (int k = 0; k < keys; k++) {
                        String key = "burst-" + k;
                        answers.add(pool.submit(
                                (Callable<byte[]>) () -> s.inExchange(keyed("idem_c", key, "\"" + key + "\""))));
                    }
                }
                Map<String, Set<String>> answersByKey = new java.util.TreeMap<>();
                for (int i = 0; i < answers.size(); i++) {
                    String cursor = cursorOf(answers.get(i).get(), "idem_c");
                    answersByKey
                            .computeIfAbsent("burst-" + (i % keys), x -> new HashSet<>())
                            .add(cursor);
                }
                Set<String> distinct = new HashSet<>();
                answersByKey.forEach((k, cursors) -> {
                    assertEquals(1, cursors.size(), "every copy of " + k + " got one answer: " + cursors);
                    distinct.addAll(cursors);
                });
                assertEquals(keys, distinct.size(), "each key stored once, under a cursor of its own");
            } finally {
                pool.shutdownNow();
            }
            try (Poll p = s.listen("0:idem_c")) {
                String all = p.answer();
                for (int k = 0; k < keys; k++) {
                    String data = "\"burst-" + k + "\"";
                    assertEquals(all.indexOf(data), all.lastIndexOf(data), data + " queued once: " + all);
                    assertNotEquals(-1, all.indexOf(data), data + " queued: " + all);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|the X-Realplexor-Idempotency-Key header is empty (a key is 1 to 128 characters)",
                "a b|the X-Realplexor-Idempotency-Key header has a character outside printable ASCII without space (0x21-0x7E) at index 1 (0x20)",
                "ключ|the X-Realplexor-Idempotency-Key header has a character outside printable ASCII without space (0x21-0x7E) at index 0 (0xd0)",
                "a\tb|the X-Realplexor-Idempotency-Key header has a character outside printable ASCII without space (0x21-0x7E) at index 1 (0x9)",
            })
    void aBadKeyIs400AndNothingIsStored(String key, String why) {
        try (E2eServer s = E2eServer.start()) {
            assertBytes(
                    frame400(why + "; nothing was published\n"), s.inExchange(keyed("idem_bad", key, "1")), "bad key");
            try (Poll p = s.listen("0:idem_bad")) {
                p.assertWaiting();
            }
        }
    }

    @Test
    void aKeyOverTheLengthLimitIs400() {
        try (E2eServer s = E2eServer.start()) {
            assertBytes(
                    frame400("the X-Realplexor-Idempotency-Key header is 129 characters long, over the limit of 128;"
                            + " nothing was published\n"),
                    s.inExchange(keyed("idem_long", "k".repeat(129), "1")),
                    "long key");
            cursorOf(s.inExchange(keyed("idem_long", "k".repeat(128), "1")), "idem_long");
        }
    }

    @Test
    void keysPastTheBudgetAre503AndTheRememberedOnesStillAnswer() {
        // Each key of one target id of 8 characters costs about 200 + 4 (":k-1") + 64 + 8 = 276 estimated bytes.
        try (E2eServer s = E2eServer.start("IDEMPOTENCY_BYTES", "600")) {
            byte[] first = s.inExchange(keyed("idem_bud", "k-1", "1"));
            cursorOf(first, "idem_bud");
            cursorOf(s.inExchange(keyed("idem_bud", "k-2", "2")), "idem_bud");
            byte[] full = s.inExchange(keyed("idem_bud", "k-3", "3"));
            assertBytes(
                    InAnswer503.of(
                            "the idempotency keys of the last IDEMPOTENCY_WINDOW=300.0s already hold about 552"
                                    + " of IDEMPOTENCY_BYTES=600 bytes; nothing was published: try again later, or raise IDEMPOTENCY_BYTES"),
                    full,
                    "the budget is spent");
            assertBytes(first, s.inExchange(keyed("idem_bud", "k-1", "again")), "a remembered key still answers");
            cursorOf(s.inExchange(keyed("idem_bud", null, "4")), "idem_bud"); // publishes without a key go on
        }
    }

    private static String frame400(String body) {
        return "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " + Bytes.utf8(body).length
                + "\r\nConnection: close\r\n\r\n" + body;
    }

    /** The IN line's 503 for a request the Hub could not carry out. */
    private static final class InAnswer503 {
        static String of(String reason) {
            String body = "the request could not be carried out: " + reason + "\n";
            return "HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: "
                    + Bytes.utf8(body).length + "\r\nConnection: close\r\n\r\n" + body;
        }
    }
}
