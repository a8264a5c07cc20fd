package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 1,000 concurrent long polls, each on its own id plus one of ten shared ids, reconnecting with
 * their cursors like the JS client while 1,050 messages are published from four threads: every
 * message must reach every listener of its id exactly once, with the cursor the publish got.
 */
class ConcurrencyTest {
    private static final int CLIENTS = 1000;
    private static final int SHARED_IDS = 10;
    private static final int PER_SHARED_ID = 5;

    private static final Pattern PART =
            Pattern.compile("  \\{\n    \"ids\": \\{ (.*?) \\},\n    \"data\": (.*?)\n  \\}");
    private static final Pattern ID_CURSOR = Pattern.compile("\"(\\w+)\": \"([\\d.]+)\"");

    @Test
    void thousandConcurrentPollsReceiveEveryMessageExactlyOnce() throws Exception {
        try (E2eServer s = E2eServer.start()) {
            CountDownLatch registered = new CountDownLatch(CLIENTS);
            AtomicInteger deliveries = new AtomicInteger();
            Queue<String> errors = new ConcurrentLinkedQueue<>();
            List<Client> clients = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Client c = new Client(s.waitPort(), i, registered, deliveries, errors);
                clients.add(c);
                Thread t = new Thread(null, c, "poll-" + i, 256 * 1024);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            assertTrue(registered.await(30, TimeUnit.SECONDS), "all polls registered; errors: " + errors);
            assertTrue(errors.isEmpty(), "errors while registering: " + errors);

            String online = s.online();
            assertEquals(CLIENTS + SHARED_IDS, online.split("\n").length, "online ids");
            for (int k = 0; k < SHARED_IDS; k++) {
                assertTrue(
                        online.contains("\nshared" + k + " " + (CLIENTS / SHARED_IDS) + "\n"),
                        "shared" + k + " count in ONLINE");
            }

            Map<String, String> published = publishAll(s);

            for (Thread t : threads) t.join(60_000);
            assertTrue(errors.isEmpty(), errors.size() + " client errors, first: " + errors.peek());
            for (Client c : clients) c.assertGotExactly(published);
            assertEquals(CLIENTS * (1 + PER_SHARED_ID), deliveries.get(), "deliveries");
        }
    }

    /** Publishes every message from four threads in a shuffled order; returns data -> cursor. */
    private static Map<String, String> publishAll(E2eServer s) throws Exception {
        List<String[]> messages = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) messages.add(new String[] {"own" + i, ownData(i)});
        for (int k = 0; k < SHARED_IDS; k++) {
            for (int n = 0; n < PER_SHARED_ID; n++) messages.add(new String[] {"shared" + k, sharedData(k, n)});
        }
        Collections.shuffle(messages, new Random(7));
        Map<String, String> cursors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String[] m : messages) done.add(pool.submit(() -> cursors.put(m[1], s.send(m[0], m[1]))));
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        return cursors;
    }

    private static String ownData(int i) {
        return "{\"own\":" + i + "}";
    }

    private static String sharedData(int k, int n) {
        return "{\"shared\":" + k + ",\"n\":" + n + "}";
    }

    /** One browser: listens from cursor 0 and reconnects with the newest cursors until it has everything. */
    private static final class Client implements Runnable {
        private final int port;
        private final String own;
        private final String shared;
        private final CountDownLatch registered;
        private final AtomicInteger deliveries;
        private final Queue<String> errors;
        private final Map<String, String> cursors = new LinkedHashMap<>();
        private final Map<String, List<String>> got = new HashMap<>(); // data -> "id:cursor" per delivery
        private final List<String> expected = new ArrayList<>();

        Client(int port, int i, CountDownLatch registered, AtomicInteger deliveries, Queue<String> errors) {
            this.port = port;
            this.own = "own" + i;
            this.shared = "shared" + (i % SHARED_IDS);
            this.registered = registered;
            this.deliveries = deliveries;
            this.errors = errors;
            cursors.put(own, "0");
            cursors.put(shared, "0");
            expected.add(ownData(i));
            for (int n = 0; n < PER_SHARED_ID; n++) expected.add(sharedData(i % SHARED_IDS, n));
        }

        @Override
        public void run() {
            boolean first = true;
            try {
                while (got.size() < expected.size()) {
                    StringBuilder list = new StringBuilder();
                    cursors.forEach((id, c) -> list.append(list.length() == 0 ? "" : ",")
                            .append(c)
                            .append(':')
                            .append(id));
                    try (Conn c = Conn.open(port)) {
                        c.send("GET /?identifier=" + list + "&ncrnd=1 HTTP/1.1\r\nHost: h\r\n\r\n");
                        byte[] head = c.readExactly(Bytes.utf8(Expect.HEAD_SPACE).length, Duration.ofSeconds(30));
                        if (!Bytes.str(head).equals(Expect.HEAD_SPACE))
                            throw new AssertionError("head: " + Bytes.visible(head));
                        if (first) {
                            first = false;
                            registered.countDown();
                        }
                        parse(Bytes.str(c.readToEof(Duration.ofSeconds(60))));
                    }
                }
            } catch (Throwable t) {
                errors.add(own + ": " + t);
                if (first) registered.countDown();
            }
        }

        private void parse(String body) {
            if (body.isEmpty()) return; // closed without data: reconnect
            Matcher m = PART.matcher(body);
            List<String> parts = new ArrayList<>();
            while (m.find()) {
                parts.add(m.group());
                String data = m.group(2);
                List<String> deliveredAs = got.computeIfAbsent(data, d -> new ArrayList<>());
                Matcher ic = ID_CURSOR.matcher(m.group(1));
                while (ic.find()) {
                    deliveredAs.add(ic.group(1) + ":" + ic.group(2));
                    String old = cursors.get(ic.group(1));
                    if (old == null) throw new AssertionError("answer names an id not listened to: " + ic.group(1));
                    if (new BigDecimal(ic.group(2)).compareTo(new BigDecimal(old)) > 0)
                        cursors.put(ic.group(1), ic.group(2));
                }
                deliveries.incrementAndGet();
            }
            if (!body.equals(Expect.answer(parts.toArray(new String[0])))) {
                throw new AssertionError("answer not in the protocol's layout: " + Bytes.visible(Bytes.utf8(body)));
            }
        }

        void assertGotExactly(Map<String, String> published) {
            assertEquals(new TreeSet<>(expected), new TreeSet<>(got.keySet()), own + " received");
            for (String data : expected) {
                String id = data.startsWith("{\"own\"") ? own : shared;
                assertEquals(
                        List.of(id + ":" + published.get(data)),
                        got.get(data),
                        own + ": " + data + " once, with its cursor");
            }
        }
    }
}
