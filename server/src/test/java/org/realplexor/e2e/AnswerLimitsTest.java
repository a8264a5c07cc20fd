package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What one client can make the server hold is bounded: one answer carries about
 * ANSWER_MAX_BYTES of a backlog (the client resumes from the cursors it got, nothing lost), and
 * the IN line refuses ids longer than MAX_ID_LENGTH and over-long cursors instead of storing them.
 */
class AnswerLimitsTest {
    private static final Pattern PART =
            Pattern.compile("\"ids\": \\{ \"big\": \"([0-9.]+)\" \\},\\n    \"data\": \"m(\\d+)x*\"");
    private static final Pattern SSE_EVENT =
            Pattern.compile("data: \\{\"ids\":\\{\"big\":\"([0-9.]+)\"\\},\"data\":\"m(\\d+)x*\"\\}");
    private static final Pattern SSE_ID = Pattern.compile("(?m)^id: (\\S+)$");

    @Test
    void aLongPollBacklogOverTheCapComesInSeveralAnswersInCursorOrder() {
        try (E2eServer s = E2eServer.start("ANSWER_MAX_BYTES", "5000")) {
            for (int i = 0; i < 30; i++) s.send("big", "\"m" + i + "x".repeat(1000) + "\"");
            List<Integer> got = new ArrayList<>();
            String cursor = "0";
            int answers = 0;
            while (got.size() < 30 && answers < 40) {
                String answer = s.listen(cursor + ":big").answer();
                answers++;
                assertTrue(answer.length() < 5000 + 1200, "an answer is cut near ANSWER_MAX_BYTES: " + answer.length());
                Matcher m = PART.matcher(answer);
                int before = got.size();
                while (m.find()) {
                    got.add(Integer.parseInt(m.group(2)));
                    cursor = m.group(1);
                }
                assertTrue(got.size() > before, "every answer carries at least one message: " + answer);
            }
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) all.add(i);
            assertEquals(all, got, "every message once, oldest first");
            assertTrue(answers >= 6, "30 messages of 1 KB under a 5 KB cap take several answers: " + answers);
        }
    }

    @Test
    void aSingleMessageLargerThanTheCapStillGoesOut() {
        try (E2eServer s = E2eServer.start("ANSWER_MAX_BYTES", "100")) {
            s.send("big", "\"m0" + "x".repeat(1000) + "\"");
            s.send("big", "\"m1" + "x".repeat(1000) + "\"");
            Matcher m = PART.matcher(s.listen("0:big").answer());
            assertTrue(m.find() && m.group(2).equals("0") && !m.find(), "the first message alone");
        }
    }

    @Test
    void anEventSourceBacklogOverTheCapEndsTheStreamAndResumesByLastEventId() {
        try (E2eServer s = E2eServer.start("ANSWER_MAX_BYTES", "5000")) {
            for (int i = 0; i < 30; i++) s.send("big", "\"m" + i + "x".repeat(1000) + "\"");
            List<Integer> got = new ArrayList<>();
            String lastEventId = null;
            int streams = 0;
            while (got.size() < 30 && streams < 40) {
                streams++;
                try (Conn c = s.waitConn()) {
                    long started = System.nanoTime();
                    // A stream that was cut ends by itself; the last one stays open, as streams do.
                    String text = Bytes.str(
                            c.send("GET /?identifier=0:big HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                                            + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
                                            + "\r\n")
                                    .readFor(Duration.ofSeconds(2)));
                    boolean ended = System.nanoTime() - started < 1_500_000_000L;
                    Matcher m = SSE_EVENT.matcher(text);
                    int before = got.size();
                    while (m.find()) got.add(Integer.parseInt(m.group(2)));
                    assertEquals(got.size() < 30, ended, "only a cut stream ends by itself: " + got.size() + " so far");
                    assertTrue(got.size() > before, "every stream carries at least one message: " + text);
                    Matcher id = SSE_ID.matcher(text);
                    while (id.find()) lastEventId = id.group(1);
                }
            }
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) all.add(i);
            assertEquals(all, got, "every message once, oldest first, across reconnects");
            assertTrue(streams >= 6, "the stream was ended for a reconnect: " + streams);
        }
    }

    @Test
    void theInLineRefusesAnIdOverMaxIdLengthAndALongCursor() {
        try (E2eServer s = E2eServer.start("MAX_ID_LENGTH", "40")) {
            String longId = "a".repeat(41);
            String answer = s.publishRaw(longId, "\"x\"");
            assertTrue(
                    answer.startsWith("HTTP/1.0 400 Bad Request\r\n")
                            && answer.endsWith(
                                    "\r\n\r\nan id of 41 characters is longer than MAX_ID_LENGTH (40); nothing was published\n"),
                    answer);
            String longCursor = "1".repeat(65) + ":ok";
            answer = s.publishRaw("ok," + longCursor, "\"x\"");
            assertTrue(
                    answer.startsWith("HTTP/1.0 400 Bad Request\r\n")
                            && answer.endsWith(
                                    "\r\n\r\na cursor of 65 characters is longer than the limit (64); nothing was published\n"),
                    answer);
            assertTrue(
                    !s.command("STATS").contains("aaaa") && !s.command("STATS").contains("ok =>"), "nothing stored");
            s.send("a".repeat(40), "\"fits\""); // the limit itself is allowed
        }
    }
}
