package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Kept-alive IN connections (PROTOCOL.md §3, "Keep-alive"): HTTP/1.1 with {@code Connection:
 * keep-alive} and a length is answered with a length and {@code Connection: keep-alive}, and the
 * connection reads the next request; everything else ends as before.
 */
class InKeepAliveTest {
    private static final Pattern LENGTH = Pattern.compile("\r\nContent-Length: (\\d+)\r\n");

    static byte[] keptRequest(String identifier, String body) {
        byte[] b = Bytes.utf8(body);
        return Bytes.concat(
                Bytes.utf8("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Length: " + b.length
                        + "\r\nX-Realplexor: identifier=" + identifier + "\r\n\r\n"),
                b);
    }

    static String kept(String status, String body) {
        return "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + Bytes.utf8(body).length
                + "\r\nConnection: keep-alive\r\n\r\n" + body;
    }

    /** Reads one answer with a Content-Length (head and body), nothing more. */
    static String readAnswer(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            while (!got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) throw new AssertionError("EOF inside a head after: " + Bytes.visible(got.toByteArray()));
                got.write(b);
            }
            String head = got.toString(StandardCharsets.ISO_8859_1);
            Matcher m = LENGTH.matcher(head);
            assertTrue(m.find(), "no Content-Length in " + head);
            byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
            return head + new String(body, StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within the read timeout after: " + Bytes.visible(got.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cursorOf(String answer, String id) {
        Matcher m = Pattern.compile("(?m)^" + id + " (\\S+)$").matcher(answer);
        assertTrue(m.find(), "no cursor for " + id + " in " + answer);
        return m.group(1);
    }

    private static void assertKeptOk(String got, String id) {
        String body = got.substring(got.indexOf("\r\n\r\n") + 4);
        assertEquals(kept("200 OK", body), got, "kept-alive answer");
        assertTrue(body.matches(id + " \\d+\\.\\d+\n"), "body: " + body);
    }

    @Test
    void manyRequestsOnOneConnectionAreEachAnsweredAndStored() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn();
                Poll p = s.listen("0:ka_seq")) {
            List<String> cursors = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                c.send(keptRequest("ka_seq", "{\"n\":" + i + "}"));
                String got = readAnswer(c.inputStream());
                assertKeptOk(got, "ka_seq");
                cursors.add(cursorOf(got, "ka_seq"));
            }
            assertEquals(25, cursors.stream().distinct().count(), "every request stored its own message");
            assertBytes(
                    answer(part("{\"n\":0}", "ka_seq", cursors.get(0))),
                    p.answerBytes(),
                    "the first message reached a listener");
            // Still open after them all: one more, then a plain close by the client.
            c.send(keptRequest("ka_seq", "\"last\""));
            assertKeptOk(readAnswer(c.inputStream()), "ka_seq");
        }
    }

    @Test
    void pipelinedRequestsInOneWriteAreAnsweredInOrder() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            byte[] all = new byte[0];
            for (int i = 0; i < 6; i++) all = Bytes.concat(all, keptRequest("ka_pipe" + i, "{\"p\":" + i + "}"));
            c.send(all);
            for (int i = 0; i < 6; i++) assertKeptOk(readAnswer(c.inputStream()), "ka_pipe" + i);
            for (int i = 0; i < 6; i++) {
                try (Poll p = s.listen("0:ka_pipe" + i)) {
                    assertTrue(
                            Bytes.str(p.answerBytes()).contains("{\"p\":" + i + "}"),
                            "message " + i + " stored under its own id");
                }
            }
        }
    }

    @Test
    void aTwoRequestPipelineSplitAtEveryByteIsReadTheSame() throws InterruptedException {
        byte[] two = Bytes.concat(keptRequest("ka_a", "{\"a\":1}"), keptRequest("ka_b", "\"b\""));
        try (E2eServer s = E2eServer.start()) {
            for (int split = 1; split < two.length; split++) {
                try (Conn c = s.inConn()) {
                    c.send(java.util.Arrays.copyOfRange(two, 0, split));
                    Thread.sleep(3); // two reads on the server, as a rule
                    c.send(java.util.Arrays.copyOfRange(two, split, two.length));
                    assertKeptOk(readAnswer(c.inputStream()), "ka_a");
                    assertKeptOk(readAnswer(c.inputStream()), "ka_b");
                    c.halfClose();
                    assertEquals(0, c.readToEof().length, "nothing after the two answers (split at " + split + ")");
                }
            }
        }
    }

    @Test
    void aHalfClosingRequestAfterKeptOnesEndsAsEver() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            c.send(keptRequest("ka_mix", "\"one\""));
            assertKeptOk(readAnswer(c.inputStream()), "ka_mix");
            // The original's PHP API: HTTP/1.1 without Connection, then a half-close.
            byte[] rest = c.send(E2eServer.phpRequest("ka_mix", Bytes.utf8("\"two\"")))
                    .halfClose()
                    .readToEof();
            assertFalse(c.wasReset(), "reset after " + Bytes.visible(rest));
            assertTrue(
                    E2eServer.parsePublishAnswer(rest).containsKey("ka_mix"),
                    "a closing answer: " + Bytes.visible(rest));
        }
    }

    @Test
    void aClientThatHalfClosesAfterAKeptRequestGetsItsAnswerAndTheClose() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            byte[] got = c.send(keptRequest("ka_hc", "\"hc\"")).halfClose().readToEof();
            assertKeptOk(Bytes.str(got), "ka_hc");
        }
    }

    @Test
    void anIdleKeptConnectionIsClosedAfterInTimeout() {
        try (E2eServer s = E2eServer.start("IN_TIMEOUT", "1");
                Conn c = s.inConn()) {
            c.send(keptRequest("ka_idle", "\"i\""));
            assertKeptOk(readAnswer(c.inputStream()), "ka_idle");
            long t0 = System.nanoTime();
            byte[] after = c.readToEof(Duration.ofSeconds(5));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("", Bytes.visible(after), "an idle close has no bytes (no 408 for a request never sent)");
            assertTrue(ms >= 700, "closed after about IN_TIMEOUT, not at once: " + ms + " ms");
        }
    }

    @Test
    void anUnfinishedSecondRequestStillGets408() {
        try (E2eServer s = E2eServer.start("IN_TIMEOUT", "1");
                Conn c = s.inConn()) {
            c.send(keptRequest("ka_408", "\"i\""));
            assertKeptOk(readAnswer(c.inputStream()), "ka_408");
            c.send("POST / HTTP/1.1\r\nConnection: keep-alive\r\nContent-Length: 10\r\n\r\n{\"");
            assertTrue(Bytes.str(c.readToEof(Duration.ofSeconds(5))).startsWith("HTTP/1.0 408 Request Timeout\r\n"));
        }
    }

    @Test
    void http10OrNoConnectionHeaderOrNoLengthIsAnsweredAndClosedAsEver() {
        try (E2eServer s = E2eServer.start()) {
            String[] heads = {
                "POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 5\r\nX-Realplexor: identifier=ka_old\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 5\r\nX-Realplexor: identifier=ka_old\r\n\r\n",
                "POST / HTTP/1.1\r\nConnection: close\r\nContent-Length: 5\r\nX-Realplexor: identifier=ka_old\r\n\r\n",
            };
            for (String head : heads) {
                try (Conn c = s.inConn()) {
                    byte[] got = c.send(head + "\"old\"").readToEof(Duration.ofSeconds(3));
                    assertTrue(
                            E2eServer.parsePublishAnswer(got).containsKey("ka_old"),
                            head + " -> " + Bytes.visible(got));
                }
            }
            // Keep-alive asked but no length: the body runs to the half-close, as ever.
            try (Conn c = s.inConn()) {
                byte[] got = c.send(
                                "POST / HTTP/1.1\r\nConnection: keep-alive\r\nX-Realplexor: identifier=ka_old\r\n\r\n\"to eof\"")
                        .halfClose()
                        .readToEof();
                assertTrue(E2eServer.parsePublishAnswer(got).containsKey("ka_old"), Bytes.visible(got));
            }
        }
    }

    @Test
    void chunkedRequestsAndCommandsKeepTheConnectionToo() {
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            c.send(
                    "POST / HTTP/1.1\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\nX-Realplexor: identifier=ka_ch\r\n\r\n"
                            + "4\r\n{\"c\"\r\n3\r\n:1}\r\n0\r\n\r\n");
            assertKeptOk(readAnswer(c.inputStream()), "ka_ch");
            c.send("POST / HTTP/1.1\r\nConnection: keep-alive\r\nContent-Length: 14\r\n\r\nONLINE ka_none");
            assertEquals(kept("200 OK", ""), readAnswer(c.inputStream()), "ONLINE on a kept connection");
            c.send(keptRequest("ka_ch", ""));
            assertEquals(
                    kept("400 Bad Request", "the message body is empty; nothing was published\n"),
                    readAnswer(c.inputStream()),
                    "a refused publish keeps the connection");
            c.send(keptRequest("ka_ch", "\"after\""));
            assertKeptOk(readAnswer(c.inputStream()), "ka_ch");
        }
    }

    @Test
    void inMaxlenCountsEachRequestOnItsOwn() {
        try (E2eServer s = E2eServer.start("IN_MAXLEN", "4000");
                Conn c = s.inConn()) {
            String body = "\"" + "x".repeat(2500) + "\"";
            c.send(Bytes.concat(keptRequest("ka_len", body), keptRequest("ka_len", body)));
            assertKeptOk(readAnswer(c.inputStream()), "ka_len");
            assertKeptOk(readAnswer(c.inputStream()), "ka_len");
            c.send(keptRequest("ka_len", "\"" + "x".repeat(4100) + "\""));
            assertTrue(Bytes.str(c.readToEof()).startsWith("HTTP/1.0 413 "), "a request over IN_MAXLEN is refused");
        }
    }

    @Test
    void theIdentifierOfTheNextRequestIsNotTakenForThisOne() {
        // A command without identifier= followed by a publish with credentials: the command is a
        // guest's, not the next request's login (which a users file without guests would refuse).
        try (E2eServer s = E2eServer.start();
                Conn c = s.inConn()) {
            c.send(Bytes.concat(
                    Bytes.utf8("POST / HTTP/1.1\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nSTATS"),
                    keptRequest("ka_next", "\"n\"")));
            String stats = readAnswer(c.inputStream());
            assertTrue(
                    stats.startsWith("HTTP/1.1 200 OK\r\n") && stats.contains("[data_to_send]"),
                    "STATS as a guest: " + stats);
            assertKeptOk(readAnswer(c.inputStream()), "ka_next");
        }
    }
}
