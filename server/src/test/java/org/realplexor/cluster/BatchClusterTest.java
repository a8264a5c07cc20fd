package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batches in cluster mode: one pipelined round trip to Redis per batch, each message stored with
 * the cluster's cursors and delivered on every node; a key on a batch is shared by the nodes.
 */
class BatchClusterTest {
    private static final Duration ANSWER = Duration.ofSeconds(5);

    private static RedisServer redis;
    private static Cluster cluster;
    private static Node a;
    private static Node b;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        cluster = Cluster.start(redis, 2, "WAIT_TIMEOUT", "30");
        a = cluster.node(0);
        b = cluster.node(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
        if (redis != null) redis.close();
    }

    /** Sends a batch (a body of "IDS LENGTH\n" + message + "\n" per message), half-closes, returns status and body. */
    private static Wire.Reply batch(int port, String extraHeaders, String... idsAndMessages) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < idsAndMessages.length; i += 2) {
            body.append(idsAndMessages[i])
                    .append(' ')
                    .append(idsAndMessages[i + 1].getBytes(StandardCharsets.UTF_8).length)
                    .append('\n')
                    .append(idsAndMessages[i + 1])
                    .append('\n');
        }
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + b.length + "\r\nX-Realplexor-Batch: "
                + idsAndMessages.length / 2 + "\r\n" + extraHeaders + "\r\n";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().write(b);
            s.shutdownOutput();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            return new Wire.Reply(Integer.parseInt(all.substring(9, 12)), all.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long redisCommands(Node n) {
        return n.engine.metrics().redisCommands();
    }

    @Test
    void aBatchIsOneRoundTripAndEveryMessageReachesEveryNode() {
        try (Wire.Poll onB = Wire.poll(b.waitPort(), "cb_1,cb_2")) {
            int n = 50;
            String[] args = new String[2 * n];
            for (int i = 0; i < n; i++) {
                args[2 * i] = i == 1 ? "7:cb_2,*cb_none" : "cb_" + (i + 1) + (i == 0 ? ",cb_x" : "");
                args[2 * i + 1] = "{\"i\":" + i + "}";
            }
            long before = redisCommands(a);
            Wire.Reply r = batch(a.inPort(), "", args);
            long round = redisCommands(a) - before;
            assertEquals(200, r.status(), r.body());
            String[] blocks = r.body().split("\n\n", -1);
            assertEquals(n + 1, blocks.length, "one block per message, each ending in an empty line: " + r.body());
            String[] first = blocks[0].split("\n");
            assertEquals(2, first.length);
            assertEquals(first[0].split(" ")[1], first[1].split(" ")[1], "message 1: one cursor for both targets");
            assertEquals("cb_2 7", blocks[1], "message 2: its given cursor");
            assertNotEquals(
                    blocks[0].split("\n")[0].split(" ")[1], blocks[2].split(" ")[1], "each message its own cursor");
            assertTrue(
                    round <= 3,
                    "one Redis round trip for " + n + " messages (plus, at most, a presence beat): " + round);
            // Message 1 reaches the poll on the other node (message 2 is limited to cb_none's listeners).
            List<Wire.Part> parts = onB.parts(ANSWER);
            assertEquals("{\"i\":0}", parts.get(0).data());
        }
        try (Wire.Poll all = Wire.poll(b.waitPort(), "0:cb_50")) {
            assertEquals("{\"i\":49}", all.parts(ANSWER).get(0).data(), "the last message is queued for the cluster");
        }
    }

    @Test
    void aBatchKeyIsSharedByTheNodes() {
        String key = "X-Realplexor-Idempotency-Key: cbk-1\r\n";
        Wire.Reply first = batch(a.inPort(), key, "cbk_a", "\"k1\"", "cbk_b", "\"k2\"");
        Wire.Reply again = batch(b.inPort(), key, "cbk_a", "\"k1\"", "cbk_b", "\"k2\"");
        assertEquals(200, first.status(), first.body());
        assertEquals(first.body(), again.body(), "the retry on the other node gets the first answer");
        try (Wire.Poll p = Wire.poll(a.waitPort(), "0:cbk_a")) {
            assertEquals(1, p.parts(ANSWER).size(), "stored once");
        }
    }

    @Test
    void aBatchAfterScriptFlushStillStoresEachMessageOnce() {
        redis.call("SCRIPT", "FLUSH");
        Wire.Reply r = batch(a.inPort(), "", "cbf_a", "\"f1\"", "cbf_a", "\"f2\"");
        assertEquals(200, r.status(), r.body());
        try (Wire.Poll p = Wire.poll(b.waitPort(), "0:cbf_a")) {
            List<String> data = new ArrayList<>();
            for (Wire.Part part : p.parts(ANSWER)) data.add(part.data());
            assertEquals(List.of("\"f1\"", "\"f2\""), data);
        }
    }

    @Test
    void aBadBatchStoresNothing() {
        Wire.Reply r = batch(a.inPort(), "", "cbb_a", "\"ok\"", "cbb_a", "", "cbb_a", "\"ok too\"");
        assertEquals(400, r.status());
        assertEquals("batch message 2: the message body is empty; nothing was published\n", r.body());
        try (Wire.Poll p = Wire.poll(a.waitPort(), "0:cbb_a")) {
            p.assertWaiting(Duration.ofMillis(300));
        }
    }
}
