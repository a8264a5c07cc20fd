package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OFFLINE_TIMEOUT, WAIT_TIMEOUT, CLEAN_ID_AFTER, IN_TIMEOUT, and clients that go away (§4, §6, §7). */
class TimersTest {

    @Test
    void offlineTimeoutCountsZeroThenDropsTheIdWithAnEvent() {
        try (E2eServer s = E2eServer.start("OFFLINE_TIMEOUT", "1")) {
            try (Poll p = s.listen("ot")) {
                assertEquals("ot 1\n", s.online());
                s.send("ot", "\"x\"");
                p.answerBytes();
            }
            long closed = System.nanoTime();
            Await.until("`ot 0` during the count-down", s::online, "ot 0\n"::equals, Duration.ofMillis(900));
            Await.until("ot gone after OFFLINE_TIMEOUT", s::online, String::isEmpty);
            long ms = (System.nanoTime() - closed) / 1_000_000;
            assertTrue(ms >= 700, "went offline after " + ms + " ms, OFFLINE_TIMEOUT is 1 s");
            assertEquals("offline 11:ot\n", s.watch("9"), "offline event appended");
        }
    }

    @Test
    void waitTimeoutEndsAPollWithTheHeadAndSpaceOnly() {
        try (E2eServer s = E2eServer.start("WAIT_TIMEOUT", "1");
                Poll p = s.listen("wt")) {
            long start = System.nanoTime();
            byte[] rest = p.answerBytes();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertBytes("", rest, "nothing after the head's ` \\r\\n`");
            assertTrue(ms >= 700, "closed after " + ms + " ms, WAIT_TIMEOUT is 1 s");
        }
    }

    @Test
    void waitTimeoutAlsoClosesAConnectionThatNeverSendsAnIdentifier() {
        try (E2eServer s = E2eServer.start("WAIT_TIMEOUT", "1");
                Conn c = s.waitConn()) {
            c.send("GET /nothing-here HTTP/1.1\r\n");
            assertBytes("", c.readToEof(Duration.ofSeconds(4)), "closed silently");
        }
    }

    @Test
    void cleanIdAfterDropsTheWholeQueue() {
        try (E2eServer s = E2eServer.start("CLEAN_ID_AFTER", "0.5")) {
            String c = s.send("10:clean", "\"x\"");
            try (Poll p = s.listen("0:clean")) {
                assertBytes(answer(part("\"x\"", "clean", c)), p.answerBytes(), "still queued right after publishing");
            }
            // Keep asking from cursor 0 until the queue is gone: then the poll is held.
            Poll held = Await.until(
                    "queue of `clean` dropped",
                    () -> {
                        Poll p = s.listen("0:clean");
                        try {
                            p.assertWaiting(Duration.ofMillis(150));
                            return p;
                        } catch (AssertionError stillThere) {
                            p.close();
                            return null;
                        }
                    },
                    p -> p != null);
            try (held) {
                s.send("20:clean", "\"y\"");
                assertBytes(answer(part("\"y\"", "clean", "20")), held.answerBytes(), "the old message is gone");
            }
        }
    }

    @Test
    void cleanIdAfterCountsFromTheLastPublish() throws InterruptedException {
        try (E2eServer s = E2eServer.start("CLEAN_ID_AFTER", "1.5")) {
            s.send("10:keep", "\"first\"");
            Thread.sleep(900); // time must pass: this is the knob under test
            s.send("20:keep", "\"second\"");
            Thread.sleep(900); // 1.8 s after the first publish, 0.9 s after the last
            try (Poll p = s.listen("0:keep")) {
                assertBytes(
                        answer(part("\"first\"", "keep", "10"), part("\"second\"", "keep", "20")),
                        p.answerBytes(),
                        "the queue lives CLEAN_ID_AFTER from the last publish");
            }
        }
    }

    @Test
    void inTimeoutClosesAStalledPublisherAndPublishesNothing() {
        try (E2eServer s = E2eServer.start("IN_TIMEOUT", "0.5")) {
            try (Conn c = s.inConn()) {
                c.send(
                        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-Realplexor: identifier=stall\r\n\r\n{\"partial\"");
                c.readToEof(Duration.ofSeconds(4));
            }
            try (Poll p = s.listen("0:stall")) {
                p.assertWaiting();
                String c = s.send("stall", "\"done\"");
                assertBytes(
                        answer(part("\"done\"", "stall", c)), p.answerBytes(), "the stalled request stored nothing");
            }
        }
    }

    @Test
    void clientsThatVanishMidWaitLeaveNoTrace() {
        try (E2eServer s = E2eServer.start("OFFLINE_TIMEOUT", "0.3")) {
            List<Poll> polls = new ArrayList<>();
            for (int i = 0; i < 20; i++) polls.add(s.listen("vanish_" + i + ",vanish_shared"));
            Await.until("21 ids online", s::online, o -> o.split("\n").length == 21);
            for (int i = 0; i < polls.size(); i++) {
                if (i % 2 == 0) polls.get(i).conn.abort(); // reset
                else polls.get(i).close(); // FIN
            }
            Await.until("every vanish_ id offline", s::online, String::isEmpty);
            String events = s.watch("9");
            assertEquals(21, events.split("\n").length, "one newest event per id:\n" + events);
            for (String line : events.split("\n")) assertTrue(line.startsWith("offline "), "all offline:\n" + events);
            assertFalse(
                    s.command("stats").contains("vanish_"),
                    "no table still names a vanished client:\n" + s.command("stats"));
        }
    }

    @Test
    void halfClosingAListenEndsThePoll() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("halfc")) {
            p.conn.halfClose();
            assertBytes("", p.answerBytes(), "closed without an answer");
            Await.until("halfc no longer listening", s::online, o -> !o.contains("halfc 1"));
        }
    }
}
