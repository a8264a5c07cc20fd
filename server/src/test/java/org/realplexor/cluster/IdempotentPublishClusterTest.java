package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys in cluster mode: two node processes on one real redis-server share each key
 * (P:once:LOGIN:KEY, expiring with IDEMPOTENCY_WINDOW), so a key sent to both nodes, even at
 * the same moment, is stored once and answered alike.
 */
class IdempotentPublishClusterTest {
    private static final Duration SOON = Duration.ofSeconds(5);
    private static final String PREFIX = "idem-" + ProcessHandle.current().pid() + ":";

    private static RedisServer redis;
    private static Path users;
    private static NodeProcess a;
    private static NodeProcess b;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServer.start();
        users = Files.createTempFile("realplexor-users", ".htpasswd");
        // guests, and two logins with the password "password" ({SHA} form)
        Files.writeString(users, ":\nalice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        Map<String, Object> knobs = new LinkedHashMap<>();
        knobs.put("ENGINE", "redis");
        knobs.put("REDIS_URL", redis.url());
        knobs.put("REDIS_PREFIX", PREFIX);
        knobs.put("USERS_FILE", users.toString());
        a = NodeProcess.start(knobs);
        b = NodeProcess.start(knobs);
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            try {
                if (c != null) c.close();
            } catch (Exception ignored) {
                // closing what a test started cannot fail it
            }
        }
        Files.deleteIfExists(users);
    }

    @Test
    void aKeySentToBothNodesAtOnceIsStoredOnce() throws Exception {
        int keys = 20;
        int copiesPerNode = 3;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        Map<String, Set<String>> bodiesByKey = new TreeMap<>();
        try {
            List<Future<Wire.Reply>> replies = new ArrayList<>();
            List<String> keyOf = new ArrayList<>();
            for (int c = 0; c < copiesPerNode; c++) {
                for (int k = 0; k < keys; k++) {
                    for (NodeProcess n : List.of(a, b)) {
                        String key = "burst-" + k;
                        keyOf.add(key);
                        replies.add(pool.submit(
                                (Callable<Wire.Reply>) () -> keyed(n.inPort, "cl_burst", key, "\"" + key + "\"")));
                    }
                }
            }
            for (int i = 0; i < replies.size(); i++) {
                Wire.Reply r = replies.get(i).get();
                assertEquals(200, r.status(), r.body());
                bodiesByKey.computeIfAbsent(keyOf.get(i), x -> new HashSet<>()).add(r.body());
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> distinct = new HashSet<>();
        bodiesByKey.forEach((k, bodies) -> {
            assertEquals(1, bodies.size(), k + ": every copy on either node got the same answer: " + bodies);
            distinct.addAll(bodies);
        });
        assertEquals(keys, distinct.size(), "each key stored under a cursor of its own");
        for (NodeProcess n : List.of(a, b)) {
            try (Wire.Poll poll = Wire.poll(n.waitPort, "0:cl_burst")) {
                List<String> data = CrossNodeDeliveryTest.data(poll.parts(SOON));
                assertEquals(keys, data.size(), "one message per key: " + data);
                assertEquals(keys, new HashSet<>(data).size(), "no key twice: " + data);
            }
        }
        String once = redis.call("KEYS", PREFIX + "once::burst-*");
        assertEquals(keys, once.split("\n").length, once);
        long ttl = Long.parseLong(redis.call("PTTL", PREFIX + "once::burst-0"));
        assertTrue(ttl > 0 && ttl <= 300_000, "the key expires with IDEMPOTENCY_WINDOW (300 s): " + ttl);
    }

    @Test
    void aRetryOnTheOtherNodeGetsTheFirstAnswerWithGivenCursors() {
        Wire.Reply first = keyed(a.inPort, "7.25:cl_given,cl_gen", "k-given", "\"first\"");
        assertEquals(200, first.status(), first.body());
        assertTrue(first.body().startsWith("cl_given 7.25\ncl_gen "), first.body());
        Wire.Reply retry = keyed(b.inPort, "cl_other", "k-given", "\"retry\"");
        assertEquals(first, retry, "the other node answers the first publish's lines");
        try (Wire.Poll poll = Wire.poll(b.waitPort, "0:cl_other")) {
            poll.assertWaiting(Duration.ofMillis(300));
        }
    }

    @Test
    void keysAreScopedPerLoginAcrossNodes() {
        Wire.Reply alice = keyed(a.inPort, "alice:password@alice_s", "shared", "\"a\"");
        Wire.Reply bob = keyed(b.inPort, "bob:password@bob_s", "shared", "\"b\"");
        Wire.Reply guest = keyed(a.inPort, "guest_s", "shared", "\"g\"");
        for (Wire.Reply r : List.of(alice, bob, guest)) assertEquals(200, r.status(), r.body());
        assertEquals(alice, keyed(b.inPort, "alice:password@alice_s", "shared", "\"again\""));
        assertEquals(List.of("\"a\""), queued(b, "alice_s"));
        assertEquals(List.of("\"b\""), queued(a, "bob_s"));
        assertEquals(List.of("\"g\""), queued(b, "guest_s"));
    }

    @Test
    void theWindowEndsInRedisToo() throws InterruptedException {
        try (Cluster cl = Cluster.start(redis, 2, "IDEMPOTENCY_WINDOW", "0.5")) {
            Wire.Reply first = keyed(cl.node(0).inPort(), "cl_w", "k-w", "1");
            assertEquals(first, keyed(cl.node(1).inPort(), "cl_w", "k-w", "x"));
            long ttl = Long.parseLong(redis.call("PTTL", cl.prefix() + "once::k-w"));
            assertTrue(ttl > 0 && ttl <= 500, "the key expires with the window: " + ttl);
            Thread.sleep(800);
            Wire.Reply later = keyed(cl.node(1).inPort(), "cl_w", "k-w", "2");
            assertEquals(200, later.status(), later.body());
            assertNotEquals(first.body(), later.body(), "past the window the key is new");
            try (Wire.Poll poll = Wire.poll(cl.node(0).waitPort(), "0:cl_w")) {
                assertEquals(List.of("1", "2"), CrossNodeDeliveryTest.data(poll.parts(SOON)));
            }
        }
    }

    private static List<String> queued(NodeProcess n, String id) {
        try (Wire.Poll poll = Wire.poll(n.waitPort, "0:" + id)) {
            return CrossNodeDeliveryTest.data(poll.parts(SOON));
        }
    }

    /** A publish as the PHP API sends it, with X-Realplexor-Idempotency-Key. */
    private static Wire.Reply keyed(int port, String identifier, String key, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String request =
                "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + b.length + "\r\nX-Realplexor: identifier="
                        + identifier + "\r\nX-Realplexor-Idempotency-Key: " + key + "\r\n\r\n" + body;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int sp = all.indexOf(' ');
            int end = all.indexOf("\r\n\r\n");
            if (sp < 0 || end < 0) fail("not an HTTP answer: '" + all + "'");
            return new Wire.Reply(Integer.parseInt(all.substring(sp + 1, sp + 4)), all.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException("IN to " + port, e);
        }
    }
}
