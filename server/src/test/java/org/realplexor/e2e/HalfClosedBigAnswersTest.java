package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The original's PHP and Python APIs half-close right after their request, and so may a WAIT
 * client. An answer of many megabytes to such a client does not fit in the kernel's socket
 * buffer: part of it waits in the server until the client reads. That part must arrive too,
 * every time, however slowly the client reads.
 */
class HalfClosedBigAnswersTest {
    private static final int RUNS = 4;

    /**
     * Sends, half-closes, waits so that the server's socket buffer is full before anything is
     * read, then reads to the end through a small receive window.
     */
    private static byte[] halfCloseThenReadSlowly(int port, byte[] request) throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8192);
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.getOutputStream().write(request);
            s.shutdownOutput();
            Thread.sleep(500);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) fail("the server did not close within 60s; " + got.size() + " bytes read");
                s.setSoTimeout((int) left);
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    fail("the connection failed after " + got.size() + " bytes: " + e);
                    return null;
                }
                if (n < 0) return got.toByteArray();
                got.write(buf, 0, n);
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    void aPollFromTheStartGetsTheWholeBacklogThoughItHalfClosed() throws Exception {
        String[] ids = {"a", "b", "c"};
        int perId = 30;
        String body = "\"" + "x".repeat(190 * 1024) + "\"";
        try (E2eServer s = E2eServer.start("MAX_DATA_FOR_ID", String.valueOf(perId), "ANSWER_MAX_BYTES", "100000000")) {
            for (String id : ids) for (int i = 0; i < perId; i++) s.send(id, body);
            byte[] request = ("GET /?identifier=0:a,0:b,0:c HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            for (int run = 0; run < RUNS; run++) {
                String got = new String(halfCloseThenReadSlowly(s.waitPort(), request), StandardCharsets.ISO_8859_1);
                assertTrue(got.startsWith(Expect.HEAD_SPACE), "run " + run + ": WAIT head");
                assertTrue(
                        got.endsWith("\n  }\n]"),
                        "run " + run + ": the answer was cut after " + got.length() + " bytes");
                assertEquals(ids.length * perId, count(got, "\"ids\""), "run " + run + ": messages in the answer");
            }
        }
    }

    @Test
    void onlineAnswersInFullThoughTheClientHalfClosed() throws Exception {
        // Many polls of a few hundred KB each: one huge request would be slow to scan.
        int polls = 40;
        int idsPerPoll = 2_500;
        String pad = "p".repeat(100);
        try (E2eServer s = E2eServer.start("WAIT_MAXLEN", String.valueOf(512 * 1024), "WAIT_MAX_IDS", "10000")) {
            Poll[] held = new Poll[polls];
            try {
                for (int p = 0; p < polls; p++) {
                    StringBuilder list = new StringBuilder();
                    for (int i = 0; i < idsPerPoll; i++) {
                        if (i > 0) list.append(',');
                        list.append(pad).append(p).append('x').append(i);
                    }
                    held[p] = s.listen(list.toString());
                }
                Await.until(
                        "every poll registered",
                        () -> s.online(pad + (polls - 1) + "x" + (idsPerPoll - 1)),
                        o -> !o.isEmpty());
                byte[] request = "ONLINE\n".getBytes(StandardCharsets.ISO_8859_1);
                for (int run = 0; run < RUNS; run++) {
                    String got = new String(halfCloseThenReadSlowly(s.inPort(), request), StandardCharsets.ISO_8859_1);
                    int blank = got.indexOf("\r\n\r\n");
                    assertTrue(blank > 0, "run " + run + ": no head in " + got.length() + " bytes");
                    String head = got.substring(0, blank);
                    int at = head.indexOf("Content-Length: ");
                    assertTrue(at > 0, "run " + run + ": no Content-Length in " + head);
                    int declared = Integer.parseInt(
                            head.substring(at + 16, head.indexOf("\r\n", at)).trim());
                    assertTrue(declared > 8_000_000, "run " + run + ": ONLINE is too small to test: " + declared);
                    assertEquals(
                            declared, got.length() - blank - 4, "run " + run + ": ONLINE answer bytes (cut short?)");
                    assertEquals(
                            polls * idsPerPoll,
                            count(got.substring(blank + 3), "\n" + pad),
                            "run " + run + ": ids in ONLINE");
                }
            } finally {
                for (Poll p : held) if (p != null) p.close();
            }
        }
    }

    /**
     * An answer that truly cannot be written (its client resets while most of it waits in the
     * server) is named in the log at WARN: one line for a burst of them, not one per client.
     */
    @Test
    void anAnswerItsClientResetsIsLoggedOnceForABurst() throws Exception {
        String body = "\"" + "r".repeat(190 * 1024) + "\"";
        try (E2eServer s = E2eServer.start("ANSWER_MAX_BYTES", "100000000")) {
            for (int i = 0; i < 30; i++) s.send("r", body);
            byte[] request =
                    "GET /?identifier=0:r HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            Logger log = (Logger) LoggerFactory.getLogger(Class.forName("org.realplexor.net.CutAnswers"));
            ListAppender<ILoggingEvent> lines = new ListAppender<>();
            lines.start();
            log.addAppender(lines);
            try {
                // At most one line per 10 s for the server: bursts go on until the first shows.
                long deadline = System.nanoTime() + 20_000_000_000L;
                do {
                    for (int i = 0; i < 3; i++) {
                        try (Socket c = new Socket()) {
                            c.setReceiveBufferSize(4096);
                            c.connect(new InetSocketAddress("127.0.0.1", s.waitPort()), 3000);
                            c.getOutputStream().write(request);
                            Thread.sleep(300); // the answer fills the buffers and waits in the server
                            c.setSoLinger(true, 0); // close() now resets
                        }
                    }
                    Thread.sleep(300);
                } while (System.nanoTime() < deadline && lines.list.isEmpty());
            } finally {
                log.detachAppender(lines);
            }
            List<String> warnings = lines.list.stream()
                    .filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
            assertEquals(1, warnings.size(), "warnings: " + warnings);
            assertTrue(
                    warnings.get(0).contains("could not be written whole")
                            && warnings.get(0).contains("reset"),
                    warnings.get(0));
        }
    }
}
