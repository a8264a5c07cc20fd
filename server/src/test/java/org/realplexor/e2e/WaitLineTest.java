package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lenient identifier scan on WAIT and its limits (§2, §4). */
class WaitLineTest {

    private static void assertListensAndDelivers(E2eServer s, String request, String id) {
        try (Poll p = s.listenRaw(request)) {
            assertEquals(id + " 1\n", s.online(), "registered from: " + request);
            String c = s.send(id, "\"d\"");
            assertBytes(answer(part("\"d\"", id, c)), p.answerBytes(), "delivered for: " + request);
        }
    }

    @Test
    void identifierAmongOtherQueryParameters() {
        try (E2eServer s = E2eServer.start()) {
            assertListensAndDelivers(s, "GET /path/x?ncrnd=1&identifier=q1&x=2 HTTP/1.1\r\nHost: h\r\n\r\n", "q1");
        }
    }

    @Test
    void identifierInAHeader() {
        try (E2eServer s = E2eServer.start()) {
            assertListensAndDelivers(s, "GET /poll HTTP/1.1\r\nHost: h\r\nX-Realplexor: identifier=h1\r\n\r\n", "h1");
        }
    }

    @Test
    void identifierInAPostBodyEndingWithNewline() {
        try (E2eServer s = E2eServer.start()) {
            assertListensAndDelivers(
                    s, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 14\r\n\r\nidentifier=b1\n", "b1");
        }
    }

    @Test
    void identifierWithoutAnyRequestLine() {
        try (E2eServer s = E2eServer.start()) {
            assertListensAndDelivers(s, "identifier=r1\n", "r1");
        }
    }

    @Test
    void anyMethodAndHttp10StillGetTheHttp11Head() {
        try (E2eServer s = E2eServer.start()) {
            assertListensAndDelivers(s, "PUT /whatever?identifier=m1 HTTP/1.0\r\n\r\n", "m1");
        }
    }

    @Test
    void identifierSplitAcrossPacketsIsRecognisedOnlyOnceTerminated() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send("GET /?identif");
            c.assertSilentFor(Duration.ofMillis(150));
            c.send("ier=split1");
            c.assertSilentFor(Duration.ofMillis(150)); // the list may still go on
            c.send(",split2 HTTP/1.1\r\n\r\n");
            try (Poll p = E2eServer.expectHead(c)) {
                assertEquals("split1 1\nsplit2 1\n", s.online(), "both ids from the split list");
            }
        }
    }

    @Test
    void refererLinesAreIgnored() {
        try (E2eServer s = E2eServer.start()) {
            assertListensAndDelivers(
                    s,
                    "GET /?x=1 HTTP/1.1\r\nHost: h\r\nReferer: http://site/page?identifier=IFRAME\r\n"
                            + "X-Realplexor: identifier=ref1\r\n\r\n",
                    "ref1");
        }
    }

    @Test
    void emptyIdentifierClosesWithZeroBytes() {
        try (E2eServer s = E2eServer.start()) {
            s.assertWaitClosesSilently("GET /?identifier= HTTP/1.1\r\nHost: h\r\n\r\n", "identifier= then space");
            s.assertWaitClosesSilently("GET /?identifier=&ncrnd=1 HTTP/1.1\r\nHost: h\r\n\r\n", "identifier= then &");
            s.assertWaitClosesSilently("GET /?identifier=1e5:x,.5:y,12.:z HTTP/1.1\r\n\r\n", "only malformed items");
            assertEquals("", s.online(), "nothing registered");
            assertEquals("FAKE 10:FAKE\n", s.watch("0"), "no events");
        }
    }

    @Test
    void waitMaxlenWithoutIdentifierClosesWithZeroBytes() {
        try (E2eServer s = E2eServer.start("WAIT_MAXLEN", "100");
                Conn c = s.waitConn()) {
            c.send("GET /" + "a".repeat(200) + " HTTP/1.1\r\nHost: h\r\n");
            assertBytes("", c.readToEof(Duration.ofSeconds(3)), "over WAIT_MAXLEN without identifier");
        }
    }

    @Test
    void identifierKnobRenamesTheMarkerOnBothLines() {
        try (E2eServer s = E2eServer.start("IDENTIFIER", "channels")) {
            try (Conn old = s.waitConn()) {
                old.send("GET /?identifier=ik_old HTTP/1.1\r\n\r\n");
                String got = Bytes.str(old.readToEof(Duration.ofSeconds(3)));
                assertTrue(
                        got.startsWith("HTTP/1.1 400 Bad Request\r\n")
                                && got.endsWith(
                                        "\r\n\r\nno channels=... in the request" + " (e.g. GET /?channels=ID)\n"),
                        "a whole request without the marker is not a poll: " + got);
            }
            try (Poll p = s.listenRaw("GET /?channels=ik HTTP/1.1\r\n\r\n")) {
                byte[] req =
                        Bytes.utf8("POST / HTTP/1.1\r\nContent-Length: 3\r\nX-Realplexor: channels=ik\r\n\r\n\"k\"");
                String c = E2eServer.parsePublishAnswer(s.inExchange(req)).get("ik");
                assertBytes(
                        answer(part("\"k\"", "ik", c)),
                        p.answerBytes(),
                        "published and delivered with the renamed marker");
            }
        }
    }

    @Test
    void charsetKnobNamesTheCharsetInTheHead() {
        try (E2eServer s = E2eServer.start("CHARSET", "windows-1251");
                Conn c = s.waitConn()) {
            c.send("GET /?identifier=cs HTTP/1.1\r\n\r\n");
            String expected = Expect.HEAD_SPACE.replace("charset=utf-8", "charset=windows-1251");
            assertBytes(
                    expected, c.readExactly(Bytes.utf8(expected).length, Duration.ofSeconds(3)), "head with CHARSET");
        }
    }
}
