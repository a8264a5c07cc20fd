package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IFRAME and SCRIPT: static pages from templates with `$name` substitution (§4). */
class StaticPagesTest {

    private static final Instant MTIME = Instant.parse("2021-03-04T05:06:07Z");
    private static final String LAST_MODIFIED = "Last-Modified: Thu,  4 Mar 2021 05:06:07 GMT";
    private static final String TEMPLATE =
            "<html>$JS_WAIT_URI|$JS_MAX_BOUNCES|$js_max_bounces|$NOPE|$IFRAME_ID|$CHARSET|$$|$9x|$JS_DEBUGX|Привет</html>\n";
    private static final String RENDERED =
            "<html>/rpl/|10|undefined-js_max_bounces|undefined-NOPE|IFRAME|utf-8|$$|$9x|undefined-JS_DEBUGX|Привет</html>\n";

    private static E2eServer server(String... knobs) {
        return E2eServer.builder()
                .knobs("JS_WAIT_URI", "/rpl/")
                .knobs(knobs)
                .file("IFRAME_FILE", TEMPLATE, MTIME)
                .file("SCRIPT_FILE", "var uri = '$JS_WAIT_URI'; // $UNKNOWN_KNOB\n", MTIME)
                .start();
    }

    private static byte[] fetch(E2eServer s, String request) {
        try (Conn c = s.waitConn()) {
            return c.send(request).readToEof(Duration.ofSeconds(3));
        }
    }

    /** The IFRAME answer: the listed headers in order, plus Origin-Agent-Cluster: ?0 once. */
    private static void assertIframe(byte[] got, String body, String why) {
        String text = Bytes.str(got);
        int blank = text.indexOf("\r\n\r\n");
        assertTrue(blank > 0, why + ": no header end in " + Bytes.visible(got));
        List<String> lines =
                new ArrayList<>(Arrays.asList(text.substring(0, blank).split("\r\n", -1)));
        assertTrue(
                lines.remove("Origin-Agent-Cluster: ?0"),
                why + ": Origin-Agent-Cluster: ?0 missing in " + Bytes.visible(got));
        assertFalse(lines.contains("Origin-Agent-Cluster: ?0"), why + ": Origin-Agent-Cluster twice");
        assertEquals(
                List.of(
                        "HTTP/1.1 200 OK",
                        "Connection: close",
                        "Content-Type: text/html; charset=utf-8",
                        LAST_MODIFIED,
                        "Expires: Wed, 08 Jul 2037 22:53:52 GMT",
                        "Cache-Control: public"),
                lines,
                why + ": headers");
        assertBytes(body, Bytes.utf8(text.substring(blank + 4)), why + ": body");
    }

    @Test
    void iframePageIsTheRenderedTemplate() {
        try (E2eServer s = server()) {
            assertIframe(
                    fetch(s, "GET /?identifier=IFRAME HTTP/1.1\r\nHost: h\r\n\r\n"), RENDERED, "identifier=IFRAME");
            assertIframe(
                    fetch(s, "GET /?123?identifier=IFRAME HTTP/1.1\r\nHost: h\r\n\r\n"),
                    RENDERED,
                    "odd path /?123?identifier=IFRAME");
            assertIframe(fetch(s, "GET /?identifier=5:IFRAME,abc HTTP/1.1\r\n\r\n"), RENDERED, "cursor before IFRAME");
        }
    }

    @Test
    void scriptPageIsByteExact() {
        try (E2eServer s = server()) {
            assertBytes(
                    "HTTP/1.1 200 OK\r\n"
                            + "Connection: close\r\n"
                            + "Content-Type: text/javascript; charset=utf-8\r\n"
                            + LAST_MODIFIED + "\r\n"
                            + "Expires: Wed, 08 Jul 2037 22:53:52 GMT\r\n"
                            + "Cache-Control: public\r\n"
                            + "\r\n"
                            + "var uri = '/rpl/'; // undefined-UNKNOWN_KNOB\n",
                    fetch(s, "GET /?identifier=SCRIPT HTTP/1.1\r\n\r\n"),
                    "SCRIPT answer");
        }
    }

    @Test
    void staticRequestsMakeNothingOnline() {
        try (E2eServer s = server()) {
            fetch(s, "GET /?identifier=IFRAME HTTP/1.1\r\n\r\n");
            fetch(s, "GET /?identifier=SCRIPT HTTP/1.1\r\n\r\n");
            assertEquals("", s.online(), "no ids online");
            assertEquals("FAKE 10:FAKE\n", s.watch("0"), "no events");
        }
    }

    @Test
    void iframeLaterInTheListIsAnOrdinaryId() {
        try (E2eServer s = server();
                Poll p = s.listen("abc,IFRAME")) {
            assertEquals("IFRAME 1\nabc 1\n", s.online(), "both listened to");
        }
    }

    @Test
    void iframeIdKnobMovesTheMarker() {
        try (E2eServer s = server("IFRAME_ID", "FRAME")) {
            String rendered = RENDERED.replace("|IFRAME|", "|FRAME|");
            assertIframe(fetch(s, "GET /?identifier=FRAME HTTP/1.1\r\n\r\n"), rendered, "identifier=FRAME");
            try (Poll p = s.listen("IFRAME")) {
                assertEquals("IFRAME 1\n", s.online(), "IFRAME is an ordinary id now");
            }
        }
    }

    @Test
    void bundledTemplatesAreServedWithoutConfiguration() {
        try (E2eServer s = E2eServer.start()) {
            for (String marker : new String[] {"IFRAME", "SCRIPT"}) {
                String text = Bytes.str(fetch(s, "GET /?identifier=" + marker + " HTTP/1.1\r\n\r\n"));
                assertTrue(text.startsWith("HTTP/1.1 200 OK\r\nConnection: close\r\n"), marker + ": " + text);
                int blank = text.indexOf("\r\n\r\n");
                assertTrue(blank > 0 && text.length() > blank + 4, marker + " has a body: " + text);
                // The substitution writes undefined-NAME for an unknown $NAME.
                assertFalse(
                        text.matches("(?s).*undefined-\\w.*"),
                        marker + " bundled template refers only to known knobs: " + text);
            }
        }
    }
}
