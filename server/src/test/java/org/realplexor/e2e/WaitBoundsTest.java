package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one WAIT client may hold: ids per connection (WAIT_MAX_IDS), the time to send its
 * request (HEAD_TIMEOUT) and to take its answer (SEND_TIMEOUT), connections per address
 * (WAIT_MAX_CONN_PER_IP); and bytes that are no request get a 400 at once, not WAIT_TIMEOUT of silence.
 */
class WaitBoundsTest {

    private static String plain400(Conn c) {
        String got = Bytes.str(c.readToEof(Duration.ofSeconds(3)));
        assertTrue(got.startsWith("HTTP/1.1 400 Bad Request\r\n"), got);
        return got.substring(got.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void moreIdsThanWaitMaxIdsAreRefusedWithA400() {
        try (E2eServer s = E2eServer.start("WAIT_MAX_IDS", "3")) {
            try (Conn c = s.waitConn()) {
                c.send("GET /?identifier=a,b,c,d HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(
                        "4 ids in one request; at most WAIT_MAX_IDS (3) may be listened to on one connection\n",
                        plain400(c));
            }
            try (Conn c = s.waitConn()) { // a stream too
                c.send("GET /?identifier=a,b,c,d HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
                plain400(c);
            }
            assertEquals("", s.online(), "nothing registered");
            try (Poll p = s.listen("a,b,a,c")) { // repeated ids count once
                s.send("c", "\"ok\"");
                assertTrue(p.answer().contains("\"ok\""));
            }
        }
    }

    @Test
    void anIdOverMaxIdLengthIsRefusedWithA400() {
        try (E2eServer s = E2eServer.start("MAX_ID_LENGTH", "10");
                Conn c = s.waitConn()) {
            c.send("GET /?identifier=ok," + "x".repeat(11) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("an id of 11 characters is longer than MAX_ID_LENGTH (10)\n", plain400(c));
        }
    }

    @Test
    void aRequestTricklingInIsEndedAfterHeadTimeout() throws Exception {
        try (E2eServer s = E2eServer.start("HEAD_TIMEOUT", "1", "WAIT_TIMEOUT", "30");
                Conn c = s.waitConn()) {
            long started = System.nanoTime();
            String request = "GET /?identifier=slow HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < request.length() && got.length() == 0; i++) {
                c.send(request.substring(i, i + 1)); // a byte every 100 ms: never idle for WAIT_TIMEOUT
                got.append(Bytes.str(c.readFor(Duration.ofMillis(100))));
            }
            if (got.length() == 0) got.append(Bytes.str(c.readToEof(Duration.ofSeconds(3))));
            double seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(
                    got.toString().startsWith("HTTP/1.1 408 Request Timeout\r\n")
                            && got.toString().endsWith("the request did not arrive within HEAD_TIMEOUT (1 s)\n"),
                    got.toString());
            assertTrue(seconds < 10, "ended after about HEAD_TIMEOUT, not WAIT_TIMEOUT: " + seconds + " s");
        }
    }

    @Test
    void bytesThatAreNoRequestGetA400AtOnce() {
        try (E2eServer s = E2eServer.start()) {
            try (Conn c = s.waitConn()) {
                c.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
                assertEquals("this port speaks plain HTTP: a TLS handshake is not a request here\n", plain400(c));
            }
            try (Conn c = s.waitConn()) {
                c.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
                assertEquals("HTTP/2 without TLS is not spoken here: send HTTP/1.1\n", plain400(c));
            }
            try (Conn c = s.waitConn()) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("no identifier=... in the request (e.g. GET /?identifier=ID)\n", plain400(c));
            }
            try (Conn c = s.waitConn()) { // the identifier may come in a POST body: wait for it
                c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n");
                c.assertSilentFor(Duration.ofMillis(300));
                c.send("identifier=pbody");
                E2eServer.expectHead(c).close();
            }
        }
    }

    @Test
    void anAnswerTheClientDoesNotTakeEndsAfterSendTimeout() throws Exception {
        try (E2eServer s = E2eServer.start(
                "SEND_TIMEOUT", "1", "WAIT_TIMEOUT", "60", "ANSWER_MAX_BYTES", "50000000", "IN_MAXLEN", "2000000")) {
            String big = "\"" + "z".repeat(1_500_000) + "\"";
            for (int i = 0; i < 10; i++) s.send("unread", big); // 15 MB: more than socket buffers hold
            try (Conn c = s.waitConn()) {
                c.send("GET /?identifier=0:unread HTTP/1.1\r\nHost: x\r\n\r\n");
                Thread.sleep(3000); // reads nothing for three SEND_TIMEOUTs
                byte[] got = c.readFor(Duration.ofSeconds(10));
                assertTrue(
                        got.length < 15_000_000, "the server gave up on the answer: " + got.length + " bytes of 15 MB");
            }
        }
    }

    @Test
    void waitMaxConnPerIpRefusesTheSurplusWithA503() {
        try (E2eServer s = E2eServer.start("WAIT_MAX_CONN_PER_IP", "3")) {
            List<Poll> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) held.add(s.listen("ip" + i));
                try (Conn c = s.waitConn()) {
                    c.send("GET /?identifier=ip3 HTTP/1.1\r\nHost: x\r\n\r\n");
                    String got = Bytes.str(c.readToEof(Duration.ofSeconds(3)));
                    assertTrue(
                            got.startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                                    && got.contains("\r\nRetry-After: 5\r\n")
                                    && got.endsWith("(WAIT_MAX_CONN_PER_IP); try again shortly\n"),
                            got);
                }
                held.remove(0).close();
                Await.until("the slot is free", s::online, o -> !o.contains("ip0 1"));
                // The refused connection gives its slot back when the server sees its socket close,
                // which on a busy machine may come a moment after the client's: ask again until then.
                Poll admitted = Await.until(
                        "a poll from this address is admitted again",
                        () -> {
                            try {
                                return s.listen("ip4");
                            } catch (AssertionError refusedStill) {
                                return null;
                            }
                        },
                        java.util.Objects::nonNull);
                try (Poll p = admitted) {
                    s.send("ip4", "\"in\"");
                    assertTrue(p.answer().contains("\"in\""));
                }
            } finally {
                held.forEach(Poll::close);
            }
        }
    }
}
