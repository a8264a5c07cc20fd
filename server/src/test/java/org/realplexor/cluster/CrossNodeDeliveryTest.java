package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three nodes on one Redis: messages, queues and cursors are the cluster's, not a node's. */
class CrossNodeDeliveryTest {
    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final Pattern GENERATED = Pattern.compile("\\d{10}\\.\\d{14}");

    private static RedisServer redis;
    private static Cluster cluster;
    private static Node a;
    private static Node b;
    private static Node c;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        cluster = Cluster.start(redis, 3, "MAX_DATA_FOR_ID", "5", "WAIT_TIMEOUT", "30");
        a = cluster.node(0);
        b = cluster.node(1);
        c = cluster.node(2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
        if (redis != null) redis.close();
    }

    @Test
    void aMessagePublishedOnOneNodeReachesAListenerOnAnother() {
        try (Wire.Poll p = Wire.poll(b.waitPort(), "cross")) {
            Map<String, String> sent = Wire.publish(a.inPort(), "cross", "{\"n\":1}");
            List<Wire.Part> parts;
            try {
                parts = p.parts(ANSWER);
            } catch (AssertionError e) {
                throw new AssertionError(
                        e.getMessage() + "; sent " + sent + "; STATS of b:\n" + Wire.command(b.inPort(), "STATS"), e);
            }
            assertEquals(1, parts.size(), parts.toString());
            assertEquals(Map.of("cross", sent.get("cross")), parts.get(0).ids());
            assertEquals("{\"n\":1}", parts.get(0).data());
            assertTrue(GENERATED.matcher(sent.get("cross")).matches(), sent.toString());
        }
    }

    @Test
    void aListenerReconnectingToAThirdNodeGetsExactlyWhatItMissed() {
        String c1;
        try (Wire.Poll p = Wire.poll(b.waitPort(), "rc")) {
            Wire.publish(a.inPort(), "rc", "\"m1\"");
            List<Wire.Part> parts = p.parts(ANSWER);
            assertEquals(List.of("\"m1\""), data(parts));
            c1 = parts.get(0).ids().get("rc");
        }
        String c2 = Wire.publish(b.inPort(), "rc", "\"m2\"").get("rc");
        String c3 = Wire.publish(c.inPort(), "rc", "\"m3\"").get("rc");
        try (Wire.Poll p = Wire.poll(c.waitPort(), c1 + ":rc")) {
            List<Wire.Part> parts = p.parts(ANSWER);
            assertEquals(List.of("\"m2\"", "\"m3\""), data(parts));
            assertEquals(
                    List.of(c2, c3),
                    List.of(parts.get(0).ids().get("rc"), parts.get(1).ids().get("rc")));
        }
        try (Wire.Poll p = Wire.poll(a.waitPort(), c3 + ":rc")) {
            p.assertWaiting(Duration.ofMillis(300));
            Wire.publish(b.inPort(), "rc", "\"m4\"");
            assertEquals(List.of("\"m4\""), data(p.parts(ANSWER)));
        }
    }

    @Test
    void aSendToSeveralIdsIsOneMessageEverywhere() {
        try (Wire.Poll live = Wire.poll(c.waitPort(), "ma,mb")) {
            Map<String, String> sent = Wire.publish(a.inPort(), "ma,mb", "\"both\"");
            assertEquals(sent.get("ma"), sent.get("mb"), "targets without cursors share one cursor");
            List<Wire.Part> parts = live.parts(ANSWER);
            assertEquals(1, parts.size(), parts.toString());
            assertEquals(
                    Map.of("ma", sent.get("ma"), "mb", sent.get("mb")),
                    parts.get(0).ids());
        }
        try (Wire.Poll later = Wire.poll(b.waitPort(), "0:ma,0:mb")) {
            List<Wire.Part> parts = later.parts(ANSWER);
            assertEquals(1, parts.size(), "read back from both queues, still one part: " + parts);
            assertEquals(2, parts.get(0).ids().size());
        }
    }

    @Test
    void limitersTravelWithTheMessage() {
        Wire.publish(a.inPort(), "lim1,*vip1", "\"secret\"");
        try (Wire.Poll outsider = Wire.poll(b.waitPort(), "0:lim1");
                Wire.Poll insider = Wire.poll(c.waitPort(), "0:lim1,vip1")) {
            assertEquals(List.of("\"secret\""), data(insider.parts(ANSWER)));
            outsider.assertWaiting(Duration.ofMillis(300));
        }
        try (Wire.Poll outsider = Wire.poll(a.waitPort(), "lim2");
                Wire.Poll insider = Wire.poll(b.waitPort(), "lim2,vip2")) {
            Wire.publish(c.inPort(), "lim2,*vip2", "\"live\"");
            assertEquals(List.of("\"live\""), data(insider.parts(ANSWER)));
            outsider.assertWaiting(Duration.ofMillis(300));
        }
    }

    @Test
    void generatedCursorsIncreaseStrictlyAcrossNodes() throws Exception {
        List<Node> nodes = List.of(a, b, c);
        BigDecimal last = BigDecimal.ZERO;
        for (int i = 0; i < 60; i++) {
            String cur = Wire.publish(nodes.get(i % 3).inPort(), "inc", "" + i).get("inc");
            assertTrue(GENERATED.matcher(cur).matches(), cur);
            BigDecimal v = new BigDecimal(cur);
            assertTrue(v.compareTo(last) > 0, cur + " after " + last);
            last = v;
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Node n = nodes.get(t % 3);
                runs.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 50; i++)
                        mine.add(Wire.publish(n.inPort(), "race", "" + i).get("race"));
                    return mine;
                }));
            }
            List<BigDecimal> all = new ArrayList<>();
            for (Future<List<String>> r : runs) {
                BigDecimal prev = BigDecimal.ZERO;
                for (String cur : r.get()) {
                    BigDecimal v = new BigDecimal(cur);
                    assertTrue(v.compareTo(prev) > 0, "one publisher's cursors increase: " + cur + " after " + prev);
                    prev = v;
                    all.add(v);
                }
            }
            assertEquals(300, new HashSet<>(all).size(), "every publish got its own cursor");
            assertTrue(Collections.min(all).compareTo(last) > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cursorsKeepIncreasingWhenRedisTimeFallsBehindTheLastCursor() {
        // as if Redis's clock stepped back 100 s: the counter runs on from the last cursor
        long ahead = (System.currentTimeMillis() + 100_000) * 1000;
        redis.call("HSET", cluster.prefix() + "clock", "us", Long.toString(ahead), "n", "7");
        String base = ahead / 1_000_000 + "." + String.format("%06d", ahead % 1_000_000);
        assertEquals(base + "00000008", Wire.publish(a.inPort(), "step", "1").get("step"));
        assertEquals(base + "00000009", Wire.publish(b.inPort(), "step", "2").get("step"));
        assertEquals(base + "00000010", Wire.publish(c.inPort(), "step", "3").get("step"));
    }

    @Test
    void explicitCursorsAreOrderedAndRotatedExactly() {
        String[] given = {
            "9",
            "1795310370.48286000100001",
            "10",
            "0010.50",
            "100",
            "10.49999999999999999999",
            "1795310370.48286000100000"
        };
        for (int i = 0; i < given.length; i++) {
            assertEquals(
                    Map.of("ex", given[i]), Wire.publish(cluster.node(i % 3).inPort(), given[i] + ":ex", "" + i));
        }
        try (Wire.Poll p = Wire.poll(b.waitPort(), "0:ex")) {
            List<String> cursors = new ArrayList<>();
            for (Wire.Part part : p.parts(ANSWER)) cursors.add(part.ids().get("ex"));
            assertEquals(
                    List.of(
                            "10.49999999999999999999",
                            "0010.50",
                            "100",
                            "1795310370.48286000100000",
                            "1795310370.48286000100001"),
                    cursors,
                    "MAX_DATA_FOR_ID=5 keeps the five highest, compared as exact decimals, echoed verbatim");
        }
        try (Wire.Poll p = Wire.poll(c.waitPort(), "10.5:ex")) {
            assertEquals(3, p.parts(ANSWER).size(), "10.5 equals 0010.50, so only the three above it");
        }
    }

    @Test
    void aFromNowListenerOnAnotherNodeGetsOnlyLaterMessages() {
        String c1 = Wire.publish(a.inPort(), "fn", "\"before\"").get("fn");
        // the window a cluster has: B must have heard of c1 (one pub/sub hop) before "now" covers it
        Await.until(
                "node B's now() to reach " + c1,
                ANSWER,
                () -> new BigDecimal(nowOf(b)).compareTo(new BigDecimal(c1)) >= 0);
        try (Wire.Poll p = Wire.poll(b.waitPort(), "fn")) {
            p.assertWaiting(Duration.ofMillis(200));
            Wire.publish(c.inPort(), "fn", "\"after\"");
            assertEquals(List.of("\"after\""), data(p.parts(ANSWER)));
        }
    }

    @Test
    void statsShowTheClusterAndThisNode() {
        String stats = Wire.command(c.inPort(), "STATS");
        assertTrue(
                stats.startsWith("[data_to_send]\n\n[connected_fhs]\n"),
                "the original's sections first, in its order: " + stats);
        assertTrue(
                stats.contains("\n[pairs_by_fhs]\n")
                        && stats.indexOf("\n[pairs_by_fhs]\n") < stats.indexOf("\n[redis]\n"),
                stats);
        assertTrue(
                stats.contains("\n[redis]\nurl " + redis.url() + ", prefix " + cluster.prefix() + "\nstate healthy\n"),
                stats);
        Matcher nodes = Pattern.compile("\nnodes((?: \\w+ \\(heartbeat due in [0-9.]+s\\))+)\n")
                .matcher(stats);
        assertTrue(nodes.find(), stats);
        assertEquals(3, nodes.group(1).split("\\) ").length, "three live nodes: " + nodes.group(1));
    }

    static String nowOf(Node n) {
        Matcher m = Pattern.compile("now\\(\\) (\\S+),").matcher(Wire.command(n.inPort(), "STATS"));
        assertTrue(m.find());
        return m.group(1);
    }

    static List<String> data(List<Wire.Part> parts) {
        List<String> out = new ArrayList<>();
        for (Wire.Part p : parts) out.add(p.data());
        return out;
    }

    @Test
    void aClientThatHalfClosesRightAfterItsRequestGetsWhatIsQueuedOnAnyNode() throws Exception {
        Wire.publish(cluster.node(1).inPort(), "hc1", "\"queued elsewhere\"");
        // The backlog comes from Redis, after the EOF has arrived: the poll must still answer.
        for (int i = 0; i < 20; i++) {
            try (java.net.Socket s =
                    new java.net.Socket("127.0.0.1", cluster.node(i % 3).waitPort())) {
                s.setSoTimeout(5000);
                s.getOutputStream()
                        .write("GET /?identifier=0:hc1 HTTP/1.1\r\nHost: x\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.shutdownOutput();
                String got = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(got.contains("\"data\": \"queued elsewhere\""), "round " + i + ": " + got);
            }
        }
    }
}
