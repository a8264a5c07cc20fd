package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IN requests that arrive in many reads, from clients that keep the connection open: the server
 * keeps what it learnt from earlier reads (where the head ends, the chunks so far, a command's
 * unfinished line) instead of scanning from the start at every read, and still acts on each
 * request the moment it is complete.
 */
class InSlowSendersTest {
    private static final Duration ANSWER = Duration.ofSeconds(5);

    /** Sends {@code bytes} in pieces of {@code piece}, pausing now and then so that they arrive in separate reads. */
    private static void trickle(Conn c, byte[] bytes, int piece) {
        for (int at = 0, n = 0; at < bytes.length; at += piece, n++) {
            c.send(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + piece)));
            if (n % 50 == 49) pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertStored(E2eServer s, byte[] got, String id, String data) {
        Map<String, String> lines = E2eServer.parsePublishAnswer(got);
        assertEquals(List.of(id), List.copyOf(lines.keySet()), "answer lines");
        try (Poll p = s.listen("0:" + id)) {
            assertBytes(answer(part(data, id, lines.get(id))), p.answerBytes(), "stored message of " + id);
        }
    }

    private static String bigJson(int bytes) {
        StringBuilder sb = new StringBuilder("{\"fill\":\"");
        for (int i = 0; sb.length() < bytes; i++) sb.append((char) ('a' + i % 26));
        return sb.append("\"}").toString();
    }

    @Test
    void aLargeBodyInManyReadsIsPublishedWhenItsContentLengthIsIn() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            String body = bigJson(150_000);
            c.send("POST / HTTP/1.1\r\nHost: x\r\nX-Realplexor: identifier=slow_cl\r\nContent-Length: " + body.length()
                    + "\r\n\r\n");
            trickle(c, Bytes.utf8(body), 200);
            assertStored(s, c.readToEof(ANSWER), "slow_cl", body);
        }
    }

    @Test
    void aHeadInManyPiecesIsFoundWhereverItsBlankLineFalls() {
        String body = "{\"h\":1}";
        String request = "POST / HTTP/1.1\r\nHost: x\r\nX-Realplexor: identifier=slow_head\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
        // Every piece size puts the blank line's CR LF CR LF across a different boundary.
        for (int piece = 1; piece <= 5; piece++) {
            try (E2eServer s = E2eServer.start();
                    Conn c = s.inConn()) {
                byte[] b = Bytes.utf8(request);
                for (int at = 0; at < b.length; at += piece) {
                    c.send(java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + piece)));
                    pause();
                }
                assertStored(s, c.readToEof(ANSWER), "slow_head", body);
            }
        }
    }

    @Test
    void aChunkedBodyInHundredsOfChunksIsPublishedWhole() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            c.send(
                    "POST / HTTP/1.1\r\nHost: x\r\nX-Realplexor: identifier=slow_chunks\r\nTransfer-Encoding: chunked\r\n\r\n");
            String body = bigJson(60_000);
            StringBuilder chunked = new StringBuilder();
            for (int at = 0, n = 0; at < body.length(); n++) {
                int size = 1 + n % 400;
                String part = body.substring(at, Math.min(body.length(), at + size));
                chunked.append(Integer.toHexString(part.length()))
                        .append("\r\n")
                        .append(part)
                        .append("\r\n");
                at += part.length();
            }
            chunked.append("0\r\n\r\n");
            trickle(c, Bytes.utf8(chunked.toString()), 97);
            assertStored(s, c.readToEof(ANSWER), "slow_chunks", body);
        }
    }

    @Test
    void anIdentifierAfterALongHeadIsStillFound() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            // The first reads hold no identifier: it is looked for again before the request is acted on.
            String body = "{\"late\":true}";
            String request = "POST / HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(20_000) + "\r\n"
                    + "X-Realplexor: identifier=late_id\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            trickle(c, Bytes.utf8(request), 300);
            assertStored(s, c.readToEof(ANSWER), "late_id", body);
        }
    }

    @Test
    void aWrongPasswordInALaterReadIsRefusedAtOnceThoughTheBodyNeverComes() {
        try (E2eServer s = E2eServer.builder()
                        .users(E2eServer.USER_DES_LINE + "\n")
                        .start();
                Conn c = s.inConn()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nUser-Agent: some-client/1.0\r\n");
            c.assertSilentFor(Duration.ofMillis(100));
            c.send("X-Realplexor: identifier=user:wrong@user_x\r\n\r\nabc");
            String got = Bytes.str(c.readToEof(ANSWER));
            assertEquals(
                    true, got.startsWith("HTTP/1.0 403 ") && got.endsWith("invalid password for login: user\n"), got);
        }
    }

    @Test
    void aRawCommandIsAnsweredWhenItsLineEnds() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn();
                Poll p = s.listen("cmd_slow")) {
            p.assertWaiting();
            c.send("ONLINE");
            c.assertSilentFor(Duration.ofMillis(150)); // "ONLINE" might still go on
            c.send(" cmd_");
            c.assertSilentFor(Duration.ofMillis(150)); // the line has not ended
            c.send("\n");
            assertEquals("cmd_slow 1\n", E2eServer.okBody(c.readToEof(ANSWER), "ONLINE in pieces"));
        }
    }
}
