package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import io.netty.util.concurrent.AbstractEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.realplexor.testing.LogCapture;

/**
 * How a WAIT connection ends when its client half-closes, sends more than its request, or
 * trickles bytes (§4): no answer it is owed is lost, and WAIT_TIMEOUT counts inactivity.
 */
class WaitEndingsTest {

    /** Sends {@code request}, half-closes at once, and returns everything up to the server's close. */
    private static byte[] sendAndHalfClose(E2eServer s, String request) {
        try (Conn c = s.waitConn()) {
            byte[] got = c.send(request).halfClose().readToEof(Duration.ofSeconds(3));
            assertFalse(c.wasReset(), "ended by a reset after: " + Bytes.visible(got));
            return got;
        }
    }

    @Test
    void aClientThatHalfClosesRightAfterItsRequestStillGetsWhatIsQueued() {
        try (E2eServer s = E2eServer.start()) {
            String c = s.send("hq", "\"queued\"");
            String expected = Expect.HEAD_SPACE + answer(part("\"queued\"", "hq", c));
            // A race between the half-close and the Hub's answer: many rounds, every one must win.
            for (int i = 0; i < 30; i++) {
                assertBytes(
                        expected,
                        sendAndHalfClose(s, "GET /?identifier=0:hq HTTP/1.1\r\nHost: x\r\n\r\n"),
                        "round " + i);
                assertBytes(expected, sendAndHalfClose(s, "identifier=0:hq\n"), "raw request, round " + i);
            }
            Await.until("nothing left listening", s::online, o -> !o.matches("(?s).*hq [1-9].*"));
        }
    }

    @Test
    void aHalfClosedRequestIsActedOnWithoutItsBlankLine() {
        try (E2eServer s = E2eServer.start()) {
            String c = s.send("nb", "\"x\"");
            assertBytes(
                    Expect.HEAD_SPACE + answer(part("\"x\"", "nb", c)),
                    sendAndHalfClose(s, "GET /?identifier=0:nb HTTP/1.0\r\n"),
                    "queued answer after the head");
            assertBytes(
                    Expect.HEAD_SPACE,
                    sendAndHalfClose(s, "GET /?identifier=nb HTTP/1.1\r\nHost: x\r\n"),
                    "up to date: the head alone, at once");
            assertBytes("", sendAndHalfClose(s, "GET /?nothing HTTP/1.1\r\nHost: x\r\n"), "no identifier: zero bytes");
        }
    }

    @Test
    void aLongPostSentInOneGoGetsItsAnswerNotAReset() {
        try (E2eServer s = E2eServer.start()) {
            String c = s.send("lp", "\"long\"");
            String body = "identifier=0:lp&pad=" + "x".repeat(300_000);
            try (Conn conn = s.waitConn()) {
                // The identifier is within WAIT_MAXLEN, most of the body is not read when the
                // answer goes: closing then would reset the connection and destroy the answer.
                conn.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                byte[] got = conn.readToEof(Duration.ofSeconds(5));
                assertFalse(conn.wasReset(), "reset after: " + Bytes.visible(got));
                assertBytes(Expect.HEAD_SPACE + answer(part("\"long\"", "lp", c)), got, "the whole answer");
            }
        }
    }

    @Test
    void aPostPollEndsGracefullySoThatAStrayCrlfAfterItsBodyCannotResetTheAnswer() throws Exception {
        try (E2eServer s = E2eServer.start()) {
            String c = s.send("crlf", "\"after post\"");
            try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.waitPort())) {
                sock.setSoTimeout(5000);
                java.io.OutputStream out = sock.getOutputStream();
                String body = "identifier=0:crlf\n";
                out.write(Bytes.utf8(
                        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
                byte[] got = sock.getInputStream().readAllBytes();
                assertBytes(Expect.HEAD_SPACE + answer(part("\"after post\"", "crlf", c)), got, "the whole answer");
                // Old browsers sent a CRLF after a POST body. Had it come a moment earlier, a
                // server that closes at once would have reset the connection and destroyed the
                // answer; one that only half-closed takes it and keeps waiting for our end. (After
                // our delayed ACK has gone: a kernel still waiting for it may take the CRLF anyway.)
                Thread.sleep(200);
                out.write(Bytes.utf8("\r\n"));
                Thread.sleep(100);
                // Had the server closed, that CRLF would have drawn a reset, and this write would fail.
                out.write(Bytes.utf8("\r\n"));
            }
        }
    }

    @Test
    void waitTimeoutCountsFromTheLastByteOfATricklingRequest() {
        try (E2eServer s = E2eServer.start("WAIT_TIMEOUT", "1");
                Conn c = s.waitConn()) {
            c.send("GET /?a=1");
            long start = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                c.assertSilentFor(Duration.ofMillis(400)); // fails if the server closed
                c.send("&b=" + i);
            }
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 2000, "trickled past WAIT_TIMEOUT twice over");
            long quietFrom = System.nanoTime();
            assertBytes("", c.readToEof(Duration.ofSeconds(4)), "closed silently once the bytes stop");
            long ms = (System.nanoTime() - quietFrom) / 1_000_000;
            assertTrue(ms >= 500, "closed " + ms + " ms after the last byte, WAIT_TIMEOUT is 1 s");
        }
    }

    @Test
    void bytesOnAHeldPollRestartItsWaitTimeout() {
        try (E2eServer s = E2eServer.start("WAIT_TIMEOUT", "1");
                Poll p = s.listen("tw")) {
            for (int i = 0; i < 6; i++) {
                p.assertWaiting(Duration.ofMillis(400));
                p.conn.send("x");
            }
            assertEquals("tw 1\n", s.online(), "still held 2.4 s into a 1 s WAIT_TIMEOUT");
            long quietFrom = System.nanoTime();
            assertBytes("", p.answerBytes(), "then it times out as any poll: the head alone");
            long ms = (System.nanoTime() - quietFrom) / 1_000_000;
            assertTrue(ms >= 500, "closed " + ms + " ms after the last byte, WAIT_TIMEOUT is 1 s");
        }
    }

    @Test
    void aPreflightForAPostPollIsAnsweredWithoutAnIdentifier() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.waitConn()) {
            c.send(
                    "OPTIONS / HTTP/1.1\r\nHost: x\r\nOrigin: http://app.example\r\nAccess-Control-Request-Method: POST\r\n\r\n");
            String got = Bytes.str(c.readToEof(Duration.ofSeconds(3)));
            assertTrue(got.startsWith("HTTP/1.1 204 "), "204 at once: " + got);
            assertTrue(got.contains("\r\nAccess-Control-Allow-Origin: "), "with CORS headers: " + got);
            assertEquals("", s.online(), "nothing held");
        }
    }

    /**
     * A client that resets just as its answer goes out: its socket may already be closed when the
     * answer's task runs (Netty tells the handler a moment later). The answer is dropped quietly,
     * with no exception escaping the task, and the server goes on serving.
     */
    @Test
    void pollsWhoseClientsResetAsTheirAnswerGoesOutEndQuietly() throws Exception {
        List<String> warnings = LogCapture.warnings(AbstractEventExecutor.class, () -> {
            try (E2eServer s = E2eServer.start()) {
                for (int round = 0; round < 15; round++) {
                    String id = "rst_" + round;
                    List<Poll> polls = new ArrayList<>();
                    for (int i = 0; i < 150; i++) polls.add(s.listen(id));
                    Thread publisher = new Thread(() -> s.send(id, "\"gone\""));
                    publisher.start();
                    for (Poll p : polls) p.conn.abort();
                    publisher.join();
                }
                try (Poll p = s.listen("after_rst")) {
                    p.assertWaiting();
                    String c = s.send("after_rst", "\"still\"");
                    assertBytes(answer(part("\"still\"", "after_rst", c)), p.answerBytes(), "served after the resets");
                }
            }
        });
        assertEquals(List.of(), warnings, "exceptions that escaped a task");
    }
}
