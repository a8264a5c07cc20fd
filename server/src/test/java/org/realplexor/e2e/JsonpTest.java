package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** JSONP on the WAIT line (ours): {@code callback=NAME} wraps a long-poll's answer in {@code NAME(...);}. */
class JsonpTest {

    /** The head of a JSONP poll, with the " \r\n" that follows every WAIT head. */
    static final String JSONP_HEAD = "HTTP/1.1 200 OK\r\n"
            + "Connection: close\r\n"
            + "Cache-Control: no-store, no-cache, must-revalidate\r\n"
            + "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\n"
            + "Content-Type: application/javascript; charset=utf-8\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "\r\n"
            + " \r\n";

    /** What a browser's script tag sends (no Origin: a classic script is no CORS request). */
    private static String scriptRequest(String query) {
        return "GET /?" + query + " HTTP/1.1\r\nHost: rpl.example.com\r\nAccept: */*\r\n"
                + "Referer: http://www.example.com/page\r\n\r\n";
    }

    private static Conn jsonpPoll(E2eServer s, String query) {
        Conn c = s.waitConn();
        c.send(scriptRequest(query));
        assertBytes(JSONP_HEAD, c.readExactly(Bytes.utf8(JSONP_HEAD).length, Duration.ofSeconds(3)), "JSONP head");
        return c;
    }

    private static String badRequest(String reason) {
        String body = reason + "\n";
        return "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: "
                + Bytes.utf8(body).length + "\r\n\r\n" + body;
    }

    @Test
    void theAnswerIsTheArrayWrappedInTheCallback() {
        try (E2eServer s = E2eServer.start();
                Conn c = jsonpPoll(s, "identifier=jp1&callback=window.app.onData&ncrnd=1")) {
            assertEquals("jp1 1\n", s.online(), "registered");
            String cursor = s.send("jp1", "{\"t\":\"h\u00e9llo\"}");
            assertBytes(
                    "window.app.onData(" + answer(part("{\"t\":\"h\u00e9llo\"}", "jp1", cursor)) + ");",
                    c.readToEof(),
                    "JSONP answer");
        }
    }

    @Test
    void theCursorsOfOneAnswerLeadTheNextPollToNewerMessagesOnly() {
        try (E2eServer s = E2eServer.start()) {
            String a1 = s.send("jpa", "\"a1\"");
            String b1 = s.send("jpb", "\"b1\"");
            String a2 = s.send("jpa", "\"a2\"");
            String got;
            try (Conn c = jsonpPoll(s, "identifier=0:jpa,0:jpb&callback=cb")) {
                got = Bytes.str(c.readToEof());
            }
            assertEquals(
                    "cb(" + answer(part("\"a1\"", "jpa", a1), part("\"b1\"", "jpb", b1), part("\"a2\"", "jpa", a2))
                            + ");",
                    got,
                    "backlog from cursor 0, in cursor order");
            try (Conn c = jsonpPoll(s, "identifier=" + a2 + ":jpa," + b1 + ":jpb&callback=cb")) {
                c.assertSilentFor(Duration.ofMillis(200));
                String b2 = s.send("jpb", "\"b2\"");
                assertBytes("cb(" + answer(part("\"b2\"", "jpb", b2)) + ");", c.readToEof(), "only the newer message");
            }
        }
    }

    @Test
    void pollsWithAndWithoutCallbackShareOneMessage() {
        try (E2eServer s = E2eServer.start()) {
            String old = s.send("jpshare", "\"old\"");
            // The same backlog for three polls (the Hub renders it once); then one live message.
            Conn plain = s.waitConn();
            Conn first = jsonpPoll(s, "identifier=0:jpshare&callback=first");
            Conn second = jsonpPoll(s, "identifier=0:jpshare&callback=second");
            try (plain;
                    first;
                    second) {
                Poll p = E2eServer.expectHead(plain.send(scriptRequest("identifier=0:jpshare")));
                String body = answer(part("\"old\"", "jpshare", old));
                assertBytes(body, p.answerBytes(), "plain poll: the bare array");
                assertBytes("first(" + body + ");", first.readToEof(), "first callback");
                assertBytes("second(" + body + ");", second.readToEof(), "second callback");
            }
            Conn live1 = jsonpPoll(s, "identifier=jpshare&callback=live");
            try (live1;
                    Poll live2 = s.listen("jpshare")) {
                assertEquals("jpshare 2\n", s.online(), "both live polls registered");
                String c = s.send("jpshare", "\"new\"");
                String body = answer(part("\"new\"", "jpshare", c));
                assertBytes(body, live2.answerBytes(), "plain live poll");
                assertBytes("live(" + body + ");", live1.readToEof(), "JSONP live poll");
            }
        }
    }

    @Test
    void withoutCallbackTheBytesStayTheOriginals() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            // Parameters that merely look like it change nothing.
            c.send(scriptRequest("identifier=jpplain&xcallback=x&callbacks=y&ncrnd=1"));
            Poll p = E2eServer.expectHead(c);
            String cursor = s.send("jpplain", "\"p\"");
            assertBytes(answer(part("\"p\"", "jpplain", cursor)), p.answerBytes(), "bare answer");
        }
    }

    @Test
    void aBadNameIsRefusedWith400AndNotHeld() {
        try (E2eServer s = E2eServer.start()) {
            String[][] cases = {
                {"callback=alert(1)", "callback may hold only letters, digits, _, $ and dots, not '('"},
                {"callback=a%5B0%5D", "callback may hold only letters, digits, _, $ and dots, not '['"},
                {"callback=import", "callback must not use the reserved word import"},
                {"callback=", "callback is empty"},
                {"callback=" + "a".repeat(129), "callback is longer than 128 characters"},
            };
            for (String[] k : cases) {
                try (Conn c = s.waitConn()) {
                    byte[] got =
                            c.send(scriptRequest("identifier=jpbad&" + k[0])).readToEof(Duration.ofSeconds(3));
                    assertBytes(badRequest(k[1]), got, k[0]);
                }
            }
            assertEquals("", s.online(), "no refused poll was held");
        }
    }

    @Test
    void aTimeoutIsTheHeadAloneAnEmptyScript() {
        try (E2eServer s = E2eServer.start("WAIT_TIMEOUT", "1");
                Conn c = s.waitConn()) {
            c.send(scriptRequest("identifier=jptime&callback=cb"));
            assertBytes(JSONP_HEAD, c.readToEof(Duration.ofSeconds(4)), "head, then the close");
        }
    }

    @Test
    void anAllowedOriginStillGetsItsCorsLines() {
        try (E2eServer s = E2eServer.start("CORS_ORIGINS", "http://app.example");
                Conn c = s.waitConn()) {
            // <script crossorigin> sends Origin: its script runs only with the grant.
            c.send("GET /?identifier=jpcors&callback=cb HTTP/1.1\r\nHost: h\r\nOrigin: http://app.example\r\n\r\n");
            String head = Bytes.str(c.readUntil(Bytes.utf8("\r\n\r\n \r\n"), Duration.ofSeconds(3)));
            assertTrue(head.startsWith(JSONP_HEAD.substring(0, JSONP_HEAD.length() - "\r\n \r\n".length())), head);
            assertTrue(head.contains("\r\nAccess-Control-Allow-Origin: http://app.example\r\n"), head);
            String cursor = s.send("jpcors", "1");
            assertBytes("cb(" + answer(part("1", "jpcors", cursor)) + ");", c.readToEof(), "wrapped answer");
        }
    }

    @Test
    void streamsIgnoreTheCallback() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send(
                    "GET /?identifier=jpsse&callback=not(valid) HTTP/1.1\r\nHost: h\r\nAccept: text/event-stream\r\n\r\n");
            String head = Bytes.str(c.readUntil(Bytes.utf8("\r\n\r\n"), Duration.ofSeconds(3)));
            assertTrue(
                    head.startsWith("HTTP/1.1 200 OK\r\n") && head.contains("Content-Type: text/event-stream"), head);
        }
    }
}
