package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CORS on the WAIT line (§4, ours): added only when the request carries Origin. */
class CorsTest {

    private static final List<String> HEAD_LINES = Arrays.asList(Expect.HEAD.split("\r\n"));

    /** Reads a head that may carry extra CORS lines; returns its lines after checking the listed ones keep their order. */
    private static List<String> readCorsHead(Conn c) {
        String head = Bytes.str(c.readUntil(Bytes.utf8("\r\n\r\n \r\n"), Duration.ofSeconds(3)));
        List<String> lines = Arrays.asList(
                head.substring(0, head.length() - "\r\n\r\n \r\n".length()).split("\r\n"));
        List<String> listed = new ArrayList<>(lines);
        listed.retainAll(HEAD_LINES);
        assertEquals(HEAD_LINES, listed, "every head line of PROTOCOL.md §4, in order, in: " + head);
        assertEquals("HTTP/1.1 200 OK", lines.get(0), "status line first");
        return lines;
    }

    private static String allowOrigin(List<String> lines) {
        for (String l : lines) {
            if (l.regionMatches(true, 0, "Access-Control-Allow-Origin:", 0, 28))
                return l.substring(28).trim();
        }
        return null;
    }

    @Test
    void withoutOriginTheHeadIsExactlyTheOriginals() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send("GET /?identifier=plain&ncrnd=1 HTTP/1.1\r\nHost: rpl.example.com\r\nUser-Agent: Mozilla/5.0\r\n"
                    + "Accept: */*\r\nReferer: http://www.example.com/page\r\nConnection: keep-alive\r\n\r\n");
            assertBytes(
                    Expect.HEAD_SPACE,
                    c.readExactly(Bytes.utf8(Expect.HEAD_SPACE).length, Duration.ofSeconds(3)),
                    "head");
        }
    }

    @Test
    void withOriginTheAnswerAllowsIt() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send(
                    "GET /?identifier=cors1&ncrnd=1 HTTP/1.1\r\nHost: rpl.example.com\r\nOrigin: http://app.example\r\n\r\n");
            String allowed = allowOrigin(readCorsHead(c));
            assertTrue(
                    "*".equals(allowed) || "http://app.example".equals(allowed),
                    "Access-Control-Allow-Origin: " + allowed);
            String cursor = s.send("cors1", "\"x\"");
            assertBytes(answer(part("\"x\"", "cors1", cursor)), c.readToEof(), "answer body unchanged");
        }
    }

    @Test
    void aRequestLineThatArrivesBeforeItsLineEndStillWaitsForOrigin() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            // The identifier list is complete in the first write; the rest of the head follows.
            c.send("GET /?identifier=cors_split&ncrnd=1 HTTP/1.1");
            c.assertSilentFor(Duration.ofMillis(100));
            c.send("\r\nHost: rpl.example.com\r\nOrigin: http://app.example\r\n\r\n");
            String allowed = allowOrigin(readCorsHead(c));
            assertTrue(
                    "*".equals(allowed) || "http://app.example".equals(allowed),
                    "Access-Control-Allow-Origin: " + allowed);
        }
    }

    @Test
    void configuredOriginsAreTheOnlyOnesAllowed() {
        try (E2eServer s = E2eServer.start("CORS_ORIGINS", "http://good.example")) {
            try (Conn good = s.waitConn()) {
                good.send("GET /?identifier=cors2 HTTP/1.1\r\nOrigin: http://good.example\r\n\r\n");
                assertEquals("http://good.example", allowOrigin(readCorsHead(good)), "allowed origin echoed");
            }
            try (Conn evil = s.waitConn()) {
                evil.send("GET /?identifier=cors3 HTTP/1.1\r\nOrigin: http://evil.example\r\n\r\n");
                String got = Bytes.str(evil.readFor(Duration.ofMillis(500)));
                assertFalse(
                        got.toLowerCase().contains("access-control-allow-origin"),
                        "no CORS grant for another origin: " + got);
            }
        }
    }

    @Test
    void preflightGets204WithCorsHeadersAndIsNotAListener() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send(
                    "OPTIONS /?identifier=preflight&ncrnd=1 HTTP/1.1\r\nHost: rpl.example.com\r\nOrigin: http://app.example\r\n"
                            + "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: content-type\r\n\r\n");
            String got = Bytes.str(c.readToEof(Duration.ofSeconds(3)));
            assertTrue(got.matches("(?s)HTTP/1\\.[01] 204 [^\r\n]*\r\n.*"), "204 expected: " + got);
            List<String> lines = Arrays.asList(
                    got.substring(0, Math.max(0, got.indexOf("\r\n\r\n"))).split("\r\n"));
            String allowed = allowOrigin(lines);
            assertTrue(
                    "*".equals(allowed) || "http://app.example".equals(allowed),
                    "Access-Control-Allow-Origin in: " + got);
            assertEquals("", s.online(), "a preflight is not held as a listener");
        }
    }
}
