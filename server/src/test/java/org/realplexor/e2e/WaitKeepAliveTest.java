package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Long-polls that keep their connection ({@code keepalive=1}, PROTOCOL.md §4): an answer with a
 * Content-Length, then the next poll on the same socket; the limits apply per request; without
 * the opt-in nothing changes.
 */
class WaitKeepAliveTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** The head of a kept answer, up to its Content-Length line (extra lines before it). */
    private static String keptHead(String contentType, String extra, int length) {
        return "HTTP/1.1 200 OK\r\n"
                + "Connection: keep-alive\r\n"
                + "Cache-Control: no-store, no-cache, must-revalidate\r\n"
                + "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + extra
                + "Content-Length: " + length + "\r\n\r\n";
    }

    /** A kept answer: the head, then a poll's body as ever (" \r\n", then the JSON). */
    private static String kept(String json) {
        String body = " \r\n" + json;
        return keptHead("text/javascript; charset=utf-8", "", Bytes.utf8(body).length) + body;
    }

    private static String poll(String list) {
        return "GET /?identifier=" + list + "&keepalive=1 HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    /** One whole answer, read by its Content-Length. */
    private static String readAnswer(Conn c) {
        String head = Bytes.str(c.readUntil(Bytes.utf8("\r\n\r\n"), T));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("Content-Length: (\\d+)\r\n").matcher(head);
        assertTrue(m.find(), "no Content-Length in " + Bytes.visible(Bytes.utf8(head)));
        return head + Bytes.str(c.readExactly(Integer.parseInt(m.group(1)), T));
    }

    @Test
    void manyPollsOnOneConnectionEachWithTheCursorsItGot() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            String c1 = s.send("ka", "\"one\"");
            c.send(poll("0:ka"));
            assertBytes(kept(answer(part("\"one\"", "ka", c1))), Bytes.utf8(readAnswer(c)), "backlog, kept");
            String cursor = c1;
            for (int i = 0; i < 5; i++) {
                c.send(poll(cursor + ":ka"));
                Await.until("the poll is held", s::online, o -> o.contains("ka 1"));
                String next = s.send("ka", "\"m" + i + "\"");
                assertBytes(kept(answer(part("\"m" + i + "\"", "ka", next))), Bytes.utf8(readAnswer(c)), "poll " + i);
                cursor = next;
            }
        }
    }

    @Test
    void aSecondPollSentBeforeTheFirstAnswerIsReadAfterIt() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            String c1 = s.send("pp", "\"first\"");
            // Both polls in one write: the second asks from the first's cursor, and is held.
            c.send(poll("0:pp") + poll(c1 + ":pp"));
            assertBytes(kept(answer(part("\"first\"", "pp", c1))), Bytes.utf8(readAnswer(c)), "first");
            Await.until("the second poll is held", s::online, o -> o.contains("pp 1"));
            String c2 = s.send("pp", "\"second\"");
            assertBytes(kept(answer(part("\"second\"", "pp", c2))), Bytes.utf8(readAnswer(c)), "second");
        }
    }

    @Test
    void aPostPollWithALengthIsKeptToo() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            String c1 = s.send("kpost", "\"p\"");
            String body = "identifier=0:kpost\n";
            c.send("POST /?keepalive=1 HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertBytes(kept(answer(part("\"p\"", "kpost", c1))), Bytes.utf8(readAnswer(c)), "post");
            c.send(poll("0:kpost"));
            assertBytes(kept(answer(part("\"p\"", "kpost", c1))), Bytes.utf8(readAnswer(c)), "then a GET");
        }
    }

    @Test
    void waitTimeoutAnswersTheBodyStartAloneAndKeepsTheConnection() {
        try (E2eServer s = E2eServer.start("WAIT_TIMEOUT", "1");
                Conn c = s.waitConn()) {
            c.send(poll("kt"));
            assertBytes(kept(""), Bytes.utf8(readAnswer(c)), "WAIT_TIMEOUT");
            String c1 = s.send("kt", "\"after\"");
            c.send(poll("0:kt"));
            assertBytes(
                    kept(answer(part("\"after\"", "kt", c1))),
                    Bytes.utf8(readAnswer(c)),
                    "the connection is still good");
        }
    }

    @Test
    void anIdleKeptConnectionIsClosedWithoutAWord() {
        try (E2eServer s = E2eServer.start("HEAD_TIMEOUT", "1", "WAIT_TIMEOUT", "30");
                Conn c = s.waitConn()) {
            String c1 = s.send("ki", "\"x\"");
            c.send(poll("0:ki"));
            readAnswer(c);
            long t0 = System.nanoTime();
            byte[] rest = c.readToEof(T);
            assertEquals("", Bytes.visible(rest), "a plain close between polls");
            assertFalse(c.wasReset(), "closed, not reset");
            assertTrue(System.nanoTime() - t0 > 500_000_000L, "not before the idle time");
            assertTrue(c1 != null);
        }
    }

    @Test
    void headTimeoutBoundsTheSecondRequest() {
        try (E2eServer s = E2eServer.start("HEAD_TIMEOUT", "1", "WAIT_TIMEOUT", "30");
                Conn c = s.waitConn()) {
            s.send("kh", "\"x\"");
            c.send(poll("0:kh"));
            readAnswer(c);
            c.send("GET /?identifier=0:kh&keepalive=1 HTTP/1.1\r\nHost: x\r\n");
            String got = Bytes.str(c.readToEof(T));
            assertTrue(
                    got.startsWith("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n")
                            && got.contains("HEAD_TIMEOUT"),
                    got);
        }
    }

    @Test
    void withoutTheOptInTheBytesAreTheOriginals() {
        try (E2eServer s = E2eServer.start()) {
            String c1 = s.send("kn", "\"x\"");
            String expected = Expect.HEAD_SPACE + answer(part("\"x\"", "kn", c1));
            for (String req : new String[] {
                "GET /?identifier=0:kn HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /?identifier=0:kn&keepalive=0 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /?identifier=0:kn&keepalive=1 HTTP/1.0\r\nHost: x\r\n\r\n",
                "GET /?identifier=0:kn&keepalive=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "identifier=0:kn&keepalive=1\n"
            }) {
                try (Conn c = s.waitConn()) {
                    assertBytes(expected, c.send(req).readToEof(T), req);
                }
            }
        }
    }

    @Test
    void aJsonpPollIsKeptWithItsScriptType() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            String c1 = s.send("kj", "\"j\"");
            c.send("GET /?identifier=0:kj&callback=app.on&keepalive=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            String body = " \r\napp.on(" + answer(part("\"j\"", "kj", c1)) + ");";
            assertBytes(
                    keptHead(
                                    "application/javascript; charset=utf-8\r\nX-Content-Type-Options: nosniff",
                                    "",
                                    Bytes.utf8(body).length)
                            + body,
                    Bytes.utf8(readAnswer(c)),
                    "jsonp");
            c.send(poll("0:kj"));
            assertBytes(kept(answer(part("\"j\"", "kj", c1))), Bytes.utf8(readAnswer(c)), "then a plain poll");
        }
    }

    @Test
    void corsLinesGoInTheKeptHead() {
        try (E2eServer s = E2eServer.start("CORS_ORIGINS", "http://good.example");
                Conn c = s.waitConn()) {
            String c1 = s.send("kc", "\"c\"");
            c.send("GET /?identifier=0:kc&keepalive=1 HTTP/1.1\r\nHost: x\r\nOrigin: http://good.example\r\n\r\n");
            String body = " \r\n" + answer(part("\"c\"", "kc", c1));
            assertBytes(
                    keptHead(
                                    "text/javascript; charset=utf-8",
                                    "Access-Control-Allow-Origin: http://good.example\r\nVary: Origin\r\n",
                                    Bytes.utf8(body).length)
                            + body,
                    Bytes.utf8(readAnswer(c)),
                    "allowed origin");
            c.send("GET /?identifier=0:kc&keepalive=1 HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n\r\n");
            assertBytes(
                    kept(answer(part("\"c\"", "kc", c1))), Bytes.utf8(readAnswer(c)), "other origin: no CORS lines");
        }
    }

    @Test
    void streamsIgnoreTheParameter() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send("GET /?identifier=ks&keepalive=1 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
            String head = Bytes.str(c.readUntil(Bytes.utf8("\r\n\r\n"), T));
            assertTrue(
                    head.startsWith("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/event-stream"), head);
            assertFalse(head.contains("Content-Length"), head);
        }
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send(
                    "GET /?identifier=kw&keepalive=1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            String head = Bytes.str(c.readUntil(Bytes.utf8("\r\n\r\n"), T));
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
        }
    }
}
