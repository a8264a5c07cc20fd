package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ONLINE and STATS, and how a command is recognised in the IN buffer (§5). */
class CommandsTest {

    @Test
    void onlineIsEmptyOnAFreshServer() {
        try (E2eServer s = E2eServer.start()) {
            assertEquals("", s.online());
        }
    }

    @Test
    void onlineCountsConnectionsPerId() {
        try (E2eServer s = E2eServer.start();
                Poll a1 = s.listen("cnt_a");
                Poll a2 = s.listen("cnt_a");
                Poll ab = s.listen("cnt_a,cnt_b")) {
            assertEquals("cnt_a 3\ncnt_b 1\n", s.online(), "three connections on cnt_a, one on cnt_b");
        }
    }

    @Test
    void onlineIsSortedBytewiseAndFilteredByPrefixes() {
        try (E2eServer s = E2eServer.start();
                Poll p1 = s.listen("alpha");
                Poll p2 = s.listen("Alpha");
                Poll p3 = s.listen("9");
                Poll p4 = s.listen("10");
                Poll p5 = s.listen("_u")) {
            assertEquals("10 1\n9 1\nAlpha 1\n_u 1\nalpha 1\n", s.online(), "bytewise: digits < upper < _ < lower");
            assertEquals("9 1\nAlpha 1\n", s.online("Al", "9"), "only the given prefixes");
            assertEquals("", s.online("zzz"), "no match");
        }
    }

    @Test
    void commandsAreRecognisedInAnyCaseWithOrWithoutHeaders() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("case_id")) {
            assertEquals(
                    "case_id 1\n",
                    E2eServer.okBody(s.inExchange(Bytes.utf8("ONLINE\n")), "raw ONLINE"),
                    "raw, no headers");
            assertEquals(
                    "case_id 1\n",
                    E2eServer.okBody(s.inExchange(Bytes.utf8("Online case_")), "raw Online at end"),
                    "raw, argument up to the end of input");
            assertEquals(
                    "case_id 1\n",
                    E2eServer.okBody(
                            s.inExchange(Bytes.utf8(
                                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 14\r\n\r\noNlInE case_i\n")),
                            "after headers without identifier"),
                    "after the blank line, mixed case");
            assertEquals(
                    "FAKE 11:FAKE\n", E2eServer.okBody(s.inExchange(Bytes.utf8("WATCH\n")), "raw WATCH"), "raw WATCH");
            assertTrue(
                    E2eServer.okBody(s.inExchange(Bytes.utf8("stats\n")), "raw stats")
                            .contains("[data_to_send]"),
                    "raw stats");
        }
    }

    @Test
    void aWordThatOnlyStartsLikeACommandIsAMessage() {
        try (E2eServer s = E2eServer.start()) {
            Map<String, String> lines = s.publish("cmdlike", "onlinex");
            try (Poll p = s.listen("0:cmdlike")) {
                assertBytes(
                        answer(part("onlinex", "cmdlike", lines.get("cmdlike"))),
                        p.answerBytes(),
                        "published, not a command");
            }
        }
    }

    @Test
    void aCommandBodyWithAnIdentifierIsACommandNotAMessage() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("0:notmsg")) {
            assertEquals(
                    "notmsg 1\n",
                    E2eServer.okBody(
                            s.inExchange(E2eServer.phpRequest("notmsg", Bytes.utf8("ONLINE"))),
                            "ONLINE with identifier"),
                    "answered as a command");
            p.assertWaiting();
        }
    }

    @Test
    void statsDumpsTheTablesWithTheirSectionNames() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("stats_listener")) {
            s.send("stats_queued", "\"q\"");
            String stats = s.command("stats");
            // Scripts written for the original read its dump by position: its five sections come
            // first and in its order, ours after them.
            java.util.List<String> headers = new java.util.ArrayList<>();
            for (String line : stats.split("\n")) if (line.startsWith("[")) headers.add(line);
            assertEquals(
                    java.util.List.of(
                            "[data_to_send]",
                            "[connected_fhs]",
                            "[online_timers]",
                            "[cleanup_timers]",
                            "[pairs_by_fhs]",
                            "[events]"),
                    headers,
                    stats);
            assertTrue(stats.startsWith("[data_to_send]\nstats_queued => "), stats);
            assertTrue(stats.contains("stats_queued"), "queued id listed:\n" + stats);
            assertTrue(stats.contains("stats_listener"), "connected id listed:\n" + stats);
        }
    }

    @Test
    void standardHttpClientGetsACommandAnswerWithoutHalfClosing() throws Exception {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("hc_online")) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(3))
                    .build();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.inPort() + "/"))
                    .timeout(Duration.ofSeconds(5))
                    .header("X-Realplexor", "identifier=")
                    .POST(HttpRequest.BodyPublishers.ofString("online\n"))
                    .build();
            HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resp.statusCode());
            assertEquals("hc_online 1\n", resp.body());
            assertEquals("text/plain", resp.headers().firstValue("Content-Type").orElse(""));
        }
    }
}
