package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients that stop reading must not hold the server's memory: a stream whose client takes
 * nothing ends once too much waits for it, and a long-poll answer nobody takes ends after
 * WAIT_TIMEOUT. Everyone else keeps getting everything, and nothing stored is lost.
 */
class SlowReaderTest {

    /** The kernel's largest send buffer: what a non-reading client can absorb besides our own buffer. */
    private static int kernelSendBufferMax() {
        try {
            String[] wmem = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem"))
                    .trim()
                    .split("\\s+");
            return Integer.parseInt(wmem[2]);
        } catch (IOException | RuntimeException e) {
            return 4 * 1024 * 1024;
        }
    }

    /** A client socket with a tiny receive window, so that what it does not read stays with the server. */
    private static Socket stalledClient(int port, String request) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads until the server closes (or {@code limit} passes); returns the byte count. */
    private static long drain(Socket s, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        long total = 0;
        byte[] buf = new byte[65536];
        InputStream in = s.getInputStream();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0)
                throw new AssertionError("the server did not close within " + limit + " (" + total + " bytes read)");
            s.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) return total;
            total += n;
        }
    }

    private static String sseRequest(String ids) {
        return "GET /?identifier=" + ids + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n";
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    void aStreamWhoseClientStopsReadingEndsAndTheOthersGetEverything() throws Exception {
        int size = 256 * 1024;
        int messages = (2 * kernelSendBufferMax() + 2 * 1024 * 1024) / size + 1;
        String body = "\"" + "x".repeat(size) + "\"";
        try (E2eServer s = E2eServer.start(
                        "ANSWER_MAX_BYTES",
                        "100000000",
                        "IN_MAXLEN",
                        String.valueOf(2 * size),
                        "MAX_DATA_FOR_ID",
                        String.valueOf(messages));
                Conn healthy = Conn.open(s.waitPort());
                Socket stalled = stalledClient(s.waitPort(), sseRequest("big"))) {
            healthy.send(sseRequest("big"));
            Await.until("both streams registered", s::online, o -> o.equals("big 2\n"));
            String marker = "data: {\"ids\"";
            CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
                // Counts message events as they come (the text is ASCII): the marker may span reads.
                int events = 0;
                String carry = "";
                try {
                    InputStream in = healthy.inputStream();
                    byte[] buf = new byte[65536];
                    while (events < messages) {
                        int n = in.read(buf);
                        if (n < 0) break;
                        String text = carry + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                        events += count(text, marker);
                        carry = text.substring(Math.max(0, text.length() - (marker.length() - 1)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return events;
            });
            for (int i = 0; i < messages; i++) s.send("big", body);

            Await.until("the stalled stream ends", s::online, o -> o.equals("big 1\n"), Duration.ofSeconds(20));
            assertEquals(messages, received.get(30, TimeUnit.SECONDS), "the reading stream got every message");
            long stalledBytes = drain(stalled, Duration.ofSeconds(20));
            assertTrue(
                    stalledBytes < (long) messages * size,
                    "the stalled stream was closed before everything was written to it: " + stalledBytes + " bytes");
            // Nothing stored was lost: a reconnect from the start finds every message queued.
            String backlog = s.listen("0:big").answer();
            assertEquals(messages, count(backlog, "\"data\":"), "all " + messages + " messages still queued");
        }
    }

    @Test
    void aWebSocketWhoseClientStopsReadingEnds() throws Exception {
        int size = 256 * 1024;
        int messages = (2 * kernelSendBufferMax() + 2 * 1024 * 1024) / size + 1;
        String body = "\"" + "z".repeat(size) + "\"";
        try (E2eServer s = E2eServer.start("IN_MAXLEN", String.valueOf(2 * size));
                Socket stalled = stalledClient(
                        s.waitPort(),
                        "GET /?identifier=wsbig HTTP/1.1\r\nHost: x\r\n"
                                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                + "Sec-WebSocket-Version: 13\r\n\r\n")) {
            Await.until("the WebSocket registered", s::online, o -> o.equals("wsbig 1\n"));
            for (int i = 0; i < messages; i++) s.send("wsbig", body);
            Await.until("the stalled WebSocket ends", s::online, o -> o.equals("wsbig 0\n"), Duration.ofSeconds(20));
            long got = drain(stalled, Duration.ofSeconds(20));
            assertTrue(got < (long) messages * size, "closed before everything was written: " + got + " bytes");
        }
    }

    @Test
    void aLongPollAnswerNobodyTakesEndsInAResetAfterSendTimeout() throws Exception {
        int size = kernelSendBufferMax() + 1024 * 1024;
        String body = "\"" + "y".repeat(size) + "\"";
        try (E2eServer s = E2eServer.start(
                "IN_MAXLEN",
                String.valueOf(2 * size),
                "SEND_TIMEOUT",
                "1",
                "ANSWER_MAX_BYTES",
                String.valueOf(4 * size))) {
            for (int i = 0; i < 3; i++) s.send("huge", body);
            try (Socket stalled = stalledClient(s.waitPort(), "GET /?identifier=0:huge HTTP/1.1\r\nHost: x\r\n\r\n")) {
                // The answer (three messages) cannot all leave: the client reads nothing. After
                // SEND_TIMEOUT the server gives up on it and resets the connection, so that the
                // client cannot take the cut answer for a whole one.
                Thread.sleep(2500);
                long got = 0;
                boolean reset = false;
                try {
                    got = drain(stalled, Duration.ofSeconds(10));
                } catch (java.net.SocketException e) {
                    reset = true;
                }
                assertTrue(reset, "the cut answer ended in a reset, not a clean end (" + got + " bytes read)");
            }
            // Meanwhile and afterwards the server serves others as usual.
            String cursor = s.send("small", "\"ok\"");
            assertTrue(s.listen("0:small").answer().contains("\"" + cursor + "\""));
        }
    }

    @Test
    void pollsThatAskForTheSameBacklogShareOneAnswerInMemory() throws Exception {
        long before = io.netty.util.internal.PlatformDependent.usedDirectMemory();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "Netty does not count its direct memory here");
        try (E2eServer s = E2eServer.start("ANSWER_MAX_BYTES", "10000000")) { // the whole backlog in one answer
            String data = "\"" + "b".repeat(150_000) + "\"";
            for (int i = 0; i < 30; i++) s.send("big", data); // a 4.5 MB backlog
            long stored = io.netty.util.internal.PlatformDependent.usedDirectMemory();
            java.util.List<Conn> stalled = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Conn c = s.waitConn();
                    stalled.add(c);
                    c.send("GET /?identifier=0:big HTTP/1.1\r\nHost: x\r\n\r\n"); // and never read
                }
                Await.until("20 polls answered", s::online, o -> !o.contains("big 1") && !o.contains("big 2"));
                Thread.sleep(300);
                long held = io.netty.util.internal.PlatformDependent.usedDirectMemory() - stored;
                // A copy each would be 20 x 4.5 MB, less what the kernel's socket buffers took.
                assertTrue(held < 30_000_000, "direct memory held for 20 unread answers of 4.5 MB: " + held);
                try (Conn reader = s.waitConn()) {
                    byte[] got = reader.send("GET /?identifier=0:big HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readToEof(Duration.ofSeconds(10));
                    assertTrue(got.length > 4_500_000, "a reading client gets the whole backlog: " + got.length);
                }
            } finally {
                stalled.forEach(Conn::close);
            }
        }
    }
}
