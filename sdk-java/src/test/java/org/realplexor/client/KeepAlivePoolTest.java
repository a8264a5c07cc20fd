package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kept connections ({@link Realplexor.Builder#keepAlive}) and batches ({@link Realplexor#sendBatch}). */
@ExtendWith(RealServerExtension.class)
class KeepAlivePoolTest {
    private final RealServer server;

    KeepAlivePoolTest(RealServer server) {
        this.server = server;
    }

    @Test
    void eightThreadsShareAtMostThePoolsConnections() throws Exception {
        int threads = 8;
        int each = 500;
        int poolSize = 3;
        long acceptedBefore = server.inConnectionsAccepted();
        try (Realplexor rpl =
                server.client().namespace("pool_").keepAlive(poolSize).build()) {
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(exec.submit(() -> {
                    start.await();
                    List<String> cursors = new ArrayList<>();
                    for (int n = 0; n < each; n++) {
                        SendResult r = rpl.send(List.of("t" + thread), Map.of("t", thread, "n", n));
                        cursors.add(r.cursor("t" + thread).orElseThrow());
                    }
                    return cursors;
                }));
            }
            start.countDown();
            Set<String> all = new HashSet<>();
            for (Future<List<String>> f : results) all.addAll(f.get(120, TimeUnit.SECONDS));
            exec.shutdown();
            assertEquals(threads * each, all.size(), "every send stored once, each with its own cursor");
            assertTrue(rpl.connectionsOpened() <= poolSize, "opened " + rpl.connectionsOpened());
        }
        long accepted = server.inConnectionsAccepted() - acceptedBefore;
        assertTrue(
                accepted >= 1 && accepted <= poolSize,
                "the server accepted " + accepted + " IN connections for 4000 sends");
    }

    @Test
    void anIdleConnectionIsReplacedTransparently() throws Exception {
        try (Realplexor rpl =
                server.client().keepAlive(2).idleTimeout(Duration.ofMillis(100)).build()) {
            rpl.send("idle_a", "one");
            Thread.sleep(300); // past the idle timeout
            rpl.send("idle_a", "two");
            assertEquals(2, rpl.connectionsOpened(), "the idle one was closed and a new one opened");
            rpl.send("idle_a", "three");
            assertEquals(2, rpl.connectionsOpened(), "a fresh one is reused");
        }
    }

    @Test
    void batchesGoOverTheKeptConnection() throws Exception {
        try (Realplexor rpl = server.client().namespace("kb_").keepAlive(1).build();
                WaitListener l = server.listen("kb_b7")) {
            List<BatchMessage> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) batch.add(BatchMessage.of("b" + i, Map.of("i", i)));
            batch.add(BatchMessage.of(Map.of("b7", "12345"), RawJson.of("\"given\""), List.of()));
            List<SendResult> r = rpl.sendBatch(batch);
            assertEquals(101, r.size());
            for (int i = 0; i < 100; i++)
                assertTrue(r.get(i).cursor("b" + i).isPresent(), r.get(i).toString());
            assertEquals("12345", r.get(100).cursor("b7").orElseThrow());
            assertTrue(l.rawBody().contains("{\"i\":7}"));
            List<SendResult> again = rpl.sendBatch(List.of(BatchMessage.of("x", 1)), "kb-key-1");
            assertEquals(
                    again.get(0).cursors(),
                    rpl.sendBatch(List.of(BatchMessage.of("x", 1)), "kb-key-1")
                            .get(0)
                            .cursors(),
                    "a keyed batch retried gets the first answer");
            assertEquals(1, rpl.connectionsOpened());
        }
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsNotUsed() throws Exception {
        // A peer that answers one kept request per connection, then closes it.
        try (KeptPeer peer = new KeptPeer(true);
                Realplexor rpl =
                        Realplexor.builder().port(peer.port()).keepAlive(1).build()) {
            rpl.send("p", "one");
            peer.awaitClosed();
            rpl.send("p", "two");
            assertEquals(2, peer.requests.get(), "each message sent once");
            assertEquals(2, rpl.connectionsOpened());
        }
    }

    @Test
    void aConnectionThatEndsAfterTheRequestWasSentIsAnErrorNotARetry() throws Exception {
        // A peer that reads the request whole, then closes without an answer: stored or not, nobody knows.
        try (KeptPeer peer = new KeptPeer(false);
                Realplexor rpl =
                        Realplexor.builder().port(peer.port()).keepAlive(1).build()) {
            RealplexorException e = assertThrows(RealplexorException.class, () -> rpl.send("p", "once"));
            assertTrue(e.getMessage().contains("may or may not have been stored"), e.getMessage());
            Thread.sleep(200);
            assertEquals(1, peer.requests.get(), "not sent again");
        }
    }

    /** Reads kept requests (head + Content-Length); answers each and closes, or closes without a word. */
    private static final class KeptPeer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger requests = new AtomicInteger();
        final CountDownLatch closedOne = new CountDownLatch(1);
        final Thread thread;

        KeptPeer(boolean answer) throws IOException {
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        readRequest(s.getInputStream());
                        requests.incrementAndGet();
                        if (answer) {
                            byte[] body = "p 10\n".getBytes(StandardCharsets.US_ASCII);
                            s.getOutputStream()
                                    .write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                                                    + body.length + "\r\nConnection: keep-alive\r\n\r\n")
                                            .getBytes(StandardCharsets.US_ASCII));
                            s.getOutputStream().write(body);
                            s.getOutputStream().flush();
                        }
                    } catch (IOException e) {
                        // the test closed the socket
                    }
                    closedOne.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        void awaitClosed() throws InterruptedException {
            assertTrue(closedOne.await(5, TimeUnit.SECONDS));
            Thread.sleep(100); // the FIN reaches the client's socket
        }

        private static void readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) throw new IOException("EOF");
                head.write(c);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Content-Length: (\\d+)")
                    .matcher(head.toString(StandardCharsets.ISO_8859_1));
            if (m.find()) in.readNBytes(Integer.parseInt(m.group(1)));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
