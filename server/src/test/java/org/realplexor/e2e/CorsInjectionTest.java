package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Request headers echoed into WAIT answers (Origin, Access-Control-Request-Headers) never carry
 * bytes that could start a header of their own: a bare CR is a line end to some browsers and
 * proxies, so {@code Origin: http://a.example<CR>Set-Cookie: evil=1} must not come back.
 * An Origin that is not a serialized origin is treated as absent; the WebSocket handshake,
 * whose Origin check is access control, refuses it without echoing it.
 */
class CorsInjectionTest {
    private static final Duration T = Duration.ofSeconds(3);
    private static final String EVIL_ORIGIN = "http://a.example\rSet-Cookie: evil=1";
    private static final String GOOD_ORIGIN = "http://app.example:8080";
    private static final String WS_HEADERS = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    /** The head's bytes (through the blank line), or everything when the server closes first. */
    private static String head(Conn c, String request) {
        c.send(request.getBytes(StandardCharsets.ISO_8859_1));
        String got = new String(
                c.readUntil("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), T), StandardCharsets.ISO_8859_1);
        int end = got.indexOf("\r\n\r\n");
        return end < 0 ? got : got.substring(0, end + 4);
    }

    /** No byte of the answer may start a header the server did not mean: no bare CR, no Set-Cookie line. */
    private static void assertNoInjection(String answer, String what) {
        String shown = Bytes.visible(answer.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < answer.length(); i++) {
            if (answer.charAt(i) == '\r') {
                assertTrue(
                        i + 1 < answer.length() && answer.charAt(i + 1) == '\n',
                        what + ": bare CR at " + i + " in " + shown);
            }
        }
        for (String line : answer.split("\r\n|\r|\n")) {
            assertFalse(line.toLowerCase().startsWith("set-cookie"), what + ": injected header line in " + shown);
        }
    }

    /** The value of header {@code name} in a head of CRLF lines, or null. */
    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                return line.substring(name.length() + 1).trim();
        }
        return null;
    }

    @Test
    void aPollWithACrInItsOriginGetsTheHeadOfAPollWithoutOrigin() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            String head =
                    head(c, "GET /?identifier=inj_poll HTTP/1.1\r\nHost: x\r\nOrigin: " + EVIL_ORIGIN + "\r\n\r\n");
            assertNoInjection(head, "poll");
            assertEquals(Expect.HEAD, head, "the head of a poll without Origin");
        }
    }

    @Test
    void aPreflightWithACrInItsOriginGetsNoCorsHeaders() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send(("OPTIONS /?identifier=inj_pre HTTP/1.1\r\nHost: x\r\nOrigin: " + EVIL_ORIGIN
                            + "\r\nAccess-Control-Request-Method: GET\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String got = new String(c.readToEof(T), StandardCharsets.ISO_8859_1);
            assertNoInjection(got, "preflight");
            assertEquals("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", got, "a preflight without Origin");
        }
    }

    @Test
    void aPreflightWithACrInItsRequestHeadersGetsTheFixedList() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send(("OPTIONS /?identifier=inj_pre2 HTTP/1.1\r\nHost: x\r\nOrigin: " + GOOD_ORIGIN
                            + "\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: content-type\rSet-Cookie: evil=1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String got = new String(c.readToEof(T), StandardCharsets.ISO_8859_1);
            assertNoInjection(got, "preflight");
            assertTrue(got.startsWith("HTTP/1.1 204 "), got);
            assertEquals(GOOD_ORIGIN, header(got, "Access-Control-Allow-Origin"), got);
            assertEquals("Content-Type", header(got, "Access-Control-Allow-Headers"), got);
        }
    }

    @Test
    void aPreflightEchoesAValidHeaderListAndNotAnOverlongOne() {
        try (E2eServer s = E2eServer.start()) {
            try (Conn c = s.waitConn()) {
                c.send(
                        "OPTIONS / HTTP/1.1\r\nOrigin: null\r\nAccess-Control-Request-Headers: content-type,x-requested-with\r\n\r\n");
                String got = Bytes.str(c.readToEof(T));
                assertEquals("null", header(got, "Access-Control-Allow-Origin"), got);
                assertEquals("content-type,x-requested-with", header(got, "Access-Control-Allow-Headers"), got);
            }
            try (Conn c = s.waitConn()) {
                c.send("OPTIONS / HTTP/1.1\r\nOrigin: null\r\nAccess-Control-Request-Headers: " + "x-a,".repeat(300)
                        + "x-b\r\n\r\n");
                String got = Bytes.str(c.readToEof(T));
                assertEquals("Content-Type", header(got, "Access-Control-Allow-Headers"), got);
            }
        }
    }

    @Test
    void anEventSourceWithACrInItsOriginGetsNoCorsHeaders() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            String head = head(
                    c,
                    "GET /?identifier=inj_sse HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nOrigin: "
                            + EVIL_ORIGIN + "\r\n\r\n");
            assertNoInjection(head, "sse");
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.contains("text/event-stream"), head);
            assertNull(header(head, "Access-Control-Allow-Origin"), head);
        }
    }

    @Test
    void aWebSocketHandshakeWithACrInItsOriginIsRefusedWithoutEchoingIt() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send(("GET /?identifier=inj_ws HTTP/1.1\r\nHost: x\r\n" + WS_HEADERS + "Origin: " + EVIL_ORIGIN
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String got = new String(c.readToEof(T), StandardCharsets.ISO_8859_1);
            assertNoInjection(got, "websocket");
            assertTrue(got.startsWith("HTTP/1.1 403 Forbidden\r\n"), got);
            assertFalse(got.contains("a.example"), "the refused origin is not echoed: " + got);
            assertEquals("", s.online("inj_ws"), "not listening");
        }
    }

    @Test
    void anOverlongOriginIsNoOrigin() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            String origin = "http://" + "a".repeat(250) + ".example";
            String head = head(c, "GET /?identifier=inj_long HTTP/1.1\r\nHost: x\r\nOrigin: " + origin + "\r\n\r\n");
            assertNull(header(head, "Access-Control-Allow-Origin"), head);
        }
    }

    @Test
    void aValidOriginStillGetsItsHeaderOnEveryTransport() {
        try (E2eServer s = E2eServer.start()) {
            try (Conn c = s.waitConn()) {
                String head =
                        head(c, "GET /?identifier=ok_poll HTTP/1.1\r\nHost: x\r\nOrigin: " + GOOD_ORIGIN + "\r\n\r\n");
                assertEquals(GOOD_ORIGIN, header(head, "Access-Control-Allow-Origin"), head);
            }
            try (Conn c = s.waitConn()) {
                String head = head(
                        c,
                        "GET /?identifier=ok_sse HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nOrigin: "
                                + GOOD_ORIGIN + "\r\n\r\n");
                assertEquals(GOOD_ORIGIN, header(head, "Access-Control-Allow-Origin"), head);
            }
            try (Conn c = s.waitConn()) {
                String head = head(
                        c,
                        "GET /?identifier=ok_ws HTTP/1.1\r\nHost: x\r\n" + WS_HEADERS
                                + "Origin: http://[::1]:81\r\n\r\n");
                assertTrue(head.startsWith("HTTP/1.1 101 "), head);
                assertEquals("http://[::1]:81", header(head, "Access-Control-Allow-Origin"), head);
            }
            try (Conn c = s.waitConn()) {
                c.send("OPTIONS / HTTP/1.1\r\nOrigin: " + GOOD_ORIGIN
                        + "\r\nAccess-Control-Request-Headers: content-type\r\n\r\n");
                String got = Bytes.str(c.readToEof(T));
                assertEquals(GOOD_ORIGIN, header(got, "Access-Control-Allow-Origin"), got);
                assertEquals("content-type", header(got, "Access-Control-Allow-Headers"), got);
            }
        }
    }
}
