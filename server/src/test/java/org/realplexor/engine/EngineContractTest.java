package org.realplexor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.realplexor.cluster.RedisServer;
import org.realplexor.config.Settings;
import org.realplexor.protocol.Cursor;

/**
 * The rules every engine keeps, asserted alike for ENGINE=local and ENGINE=redis (a real
 * redis-server, a fresh REDIS_PREFIX per test): rotation, CLEAN_ID_AFTER, the offline countdown
 * and its events, WATCH positions, the event log's bound, queued-after order, limiters. The
 * engine is made by {@link EngineFactory} on a Vert.x event-loop context standing in for the
 * Hub's, and every call runs there, as the Hub makes them.
 *
 * <p>Time-based rules use short real timeouts: the local engine's timers run when the test ticks
 * it, Redis's on its own clock; reads poll with loose bounds.
 */
class EngineContractTest {
    private static final long SOON_MS = 5_000;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private static Vertx vertx;
    private static RedisServer redis;

    private Context hub;
    private Engine engine;
    private final List<StoredMessage> handed = Collections.synchronizedList(new ArrayList<>());
    private final List<String> wrongThreads = Collections.synchronizedList(new ArrayList<>());
    private volatile Thread hubThread;

    @BeforeAll
    static void startAll() {
        vertx = Vertx.vertx();
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (redis != null) redis.close();
        if (vertx != null)
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeEngine() throws Exception {
        if (engine != null) on(() -> engine.close());
        assertEquals(List.of(), wrongThreads, "every future and every handed message on the Hub's thread");
    }

    /** Makes the engine named by ENGINE with the given knobs, as the server does. */
    private void start(String kind, String... knobs) throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("ENGINE", kind);
        m.put("VERBOSITY", "1");
        m.put("REDIS_URL", redis.url());
        m.put("REDIS_PREFIX", "contract" + PREFIXES.incrementAndGet() + ":");
        redisSetUp(kind, m);
        for (int i = 0; i + 1 < knobs.length; i += 2) m.put(knobs[i], knobs[i + 1]);
        Settings s = Settings.from(m, Path.of("."));
        hub = vertx.getOrCreateContext();
        engine = EngineFactory.forSettings(s).create(hub, s);
        on(() -> {
            hubThread = Thread.currentThread();
            engine.onMessage(message -> {
                checkThread("onMessage");
                handed.add(message);
            });
            return Future.succeededFuture();
        });
    }

    /** Where ENGINE=redis finds Redis; a subclass runs the suite on another set-up (see EngineContractSentinelTest). */
    void redisSetUp(String kind, Map<String, Object> knobs) {}

    private void checkThread(String what) {
        if (Thread.currentThread() != hubThread)
            wrongThreads.add(what + " on " + Thread.currentThread().getName());
    }

    // ---- messages -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void targetsWithoutACursorShareOneGeneratedAfterNowGivenOnesAreKept(String kind) throws Exception {
        start(kind);
        Cursor before = on(() -> Future.succeededFuture(engine.now()));
        Map<String, Cursor> targets = new LinkedHashMap<>();
        targets.put("b", null);
        targets.put("a", null);
        targets.put("c", Cursor.of("0010.50"));
        StoredMessage m = publish(targets, List.of("lim1", "lim2"), "x");
        assertEquals(List.of("a", "b", "c"), List.copyOf(m.cursors().keySet()), "sorted by id");
        assertEquals(m.cursors().get("a"), m.cursors().get("b"), "one generated cursor");
        assertTrue(m.cursors().get("a").isAfter(before), "published after now(): a greater cursor");
        assertEquals("0010.50", m.cursors().get("c").text(), "given cursors are stored as given");
        assertEquals(java.util.Set.of("lim1", "lim2"), m.limiters());
        assertTrue(m.cursors().get("a").isAfter(m.cursors().get("c")));

        StoredMessage again = queuedAfter(Map.of("a", Cursor.of("0"))).get("a").get(0);
        assertEquals(m.cursors(), again.cursors());
        assertEquals(m.limiters(), again.limiters(), "limiters are kept with the message");
        assertEquals("x", text(again));
        assertTrue(
                queuedAfter(Map.of("a", on(() -> Future.succeededFuture(engine.now()))))
                        .isEmpty(),
                "now() is at or after the newest message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void everyStoredMessageIsHandedOnceWithItsCursors(String kind) throws Exception {
        start(kind);
        StoredMessage one = publish(Map.of("h1", Cursor.of("5")), List.of(), "one");
        StoredMessage two = publish(single("h2"), List.of("l"), "two");
        awaitEqual("two messages handed", 2, () -> handed.size());
        assertEquals(
                List.of("one", "two"),
                handed.stream().map(EngineContractTest::text).toList());
        assertEquals(one.cursors(), handed.get(0).cursors());
        assertEquals(two.cursors(), handed.get(1).cursors());
        assertEquals(two.limiters(), handed.get(1).limiters());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void queuedAfterIsStrictlyGreaterLowestCursorFirstAndLeavesOutIdsWithNone(String kind) throws Exception {
        start(kind);
        for (String c : List.of("20", "10", "30", "25", "1.5")) publish(Map.of("q", Cursor.of(c)), List.of(), "m" + c);
        publish(Map.of("other", Cursor.of("7")), List.of(), "o7");
        assertEquals(
                List.of("m1.5", "m10", "m20", "m25", "m30"),
                texts(queuedAfter(Map.of("q", Cursor.of("0"))).get("q")));
        assertEquals(
                List.of("m25", "m30"),
                texts(queuedAfter(Map.of("q", Cursor.of("20"))).get("q")),
                "equal is not after");
        assertEquals(
                List.of("m25", "m30"),
                texts(queuedAfter(Map.of("q", Cursor.of("20.000"))).get("q")),
                "compared by value");
        assertEquals(
                List.of("m30"),
                texts(queuedAfter(Map.of("q", Cursor.of("25.5"))).get("q")));
        Map<String, List<StoredMessage>> some =
                queuedAfter(Map.of("q", Cursor.of("30"), "other", Cursor.of("6"), "none", Cursor.of("0")));
        assertEquals(List.of("other"), List.copyOf(some.keySet()), "ids with nothing newer are absent");
        assertEquals(List.of("o7"), texts(some.get("other")));
        assertTrue(queuedAfter(Map.of("q", Cursor.of("99999999999.123456789"))).isEmpty(), "ahead of the queue");

        Map<String, Cursor> two = new LinkedHashMap<>();
        two.put("t1", null);
        two.put("t2", null);
        publish(two, List.of(), "shared");
        Map<String, List<StoredMessage>> both = queuedAfter(Map.of("t1", Cursor.of("0"), "t2", Cursor.of("0")));
        assertSame(both.get("t1").get(0), both.get("t2").get(0), "one message, one instance under every id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void rotationKeepsTheHighestCursorsNotTheNewestPublishes(String kind) throws Exception {
        start(kind, "MAX_DATA_FOR_ID", "3");
        Map<String, Cursor> both = new LinkedHashMap<>();
        both.put("r", Cursor.of("10"));
        both.put("s", Cursor.of("10"));
        publish(both, List.of(), "m10");
        for (String c : List.of("40", "20", "5", "30")) publish(Map.of("r", Cursor.of(c)), List.of(), "m" + c);
        assertEquals(
                List.of("m20", "m30", "m40"),
                texts(queuedAfter(Map.of("r", Cursor.of("0"))).get("r")),
                "5 (published late, lowest) and 10 fell out");
        assertEquals(
                List.of("m10"),
                texts(queuedAfter(Map.of("s", Cursor.of("0"))).get("s")),
                "a message rotated out of one queue stays in another");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void aQueueExpiresCleanIdAfterItsLastPublish(String kind) throws Exception {
        start(kind, "CLEAN_ID_AFTER", "1");
        long t0 = System.currentTimeMillis();
        publish(single("e"), List.of(), "old");
        Thread.sleep(600);
        publish(single("e"), List.of(), "new");
        Thread.sleep(600);
        tick();
        long last = System.currentTimeMillis();
        Map<String, List<StoredMessage>> q = queuedAfter(Map.of("e", Cursor.of("0")));
        if (System.currentTimeMillis() - t0 < 1000) fail("the read came too early to tell");
        if (System.currentTimeMillis() - last < 1000) {
            assertEquals(List.of("old", "new"), texts(q.get("e")), "the second publish renewed the whole queue");
        }
        awaitEqual("the queue gone", Map.of(), () -> {
            tick();
            return queuedAfter(Map.of("e", Cursor.of("0")));
        });
    }

    // ---- presence -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void eventPositionsStartAtTenAndOnlineComesOncePerId(String kind) throws Exception {
        start(kind, "OFFLINE_TIMEOUT", "30");
        assertEquals(10L, on(() -> engine.nextEventPosition()), "a fresh store starts at 10");
        assertEquals(List.of(), on(() -> engine.eventsAfter(0)));
        on(() -> engine.listeners(Map.of("p1", 1)));
        on(() -> engine.listeners(Map.of("p1", 1, "p2", 1)));
        assertEquals(
                List.of(new PresenceEvent(10, "online", "p1"), new PresenceEvent(11, "online", "p2")),
                on(() -> engine.eventsAfter(0)));
        assertEquals(List.of(new PresenceEvent(11, "online", "p2")), on(() -> engine.eventsAfter(10)));
        assertEquals(12L, on(() -> engine.nextEventPosition()));
        assertEquals("p1 2\np2 1\n", online());
        assertEquals("p2 1\n", on(() -> engine.online(id -> id.equals("p2"))).text(), "filtered");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void theLastListenerLeavingStartsACountdownAtZeroThenOffline(String kind) throws Exception {
        start(kind, "OFFLINE_TIMEOUT", "1");
        on(() -> engine.listeners(Map.of("o", 1)));
        on(() -> engine.listeners(Map.of("o", -1)));
        long left = System.currentTimeMillis();
        String during = online();
        if (System.currentTimeMillis() - left < 1000)
            assertEquals("o 0\n", during, "counted 0 while the countdown runs");
        awaitEqual("offline after OFFLINE_TIMEOUT", "", () -> {
            tick();
            return online();
        });
        assertEquals(
                List.of(new PresenceEvent(10, "online", "o"), new PresenceEvent(11, "offline", "o")),
                on(() -> engine.eventsAfter(0)));
        assertEquals(12L, on(() -> engine.nextEventPosition()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void comingBackWithinTheCountdownMakesNoEvent(String kind) throws Exception {
        start(kind, "OFFLINE_TIMEOUT", "0.3");
        on(() -> engine.listeners(Map.of("b", 1)));
        on(() -> engine.listeners(Map.of("b", -1)));
        on(() -> engine.listeners(Map.of("b", 1)));
        Thread.sleep(600);
        tick();
        assertEquals("b 1\n", online());
        assertEquals(List.of(new PresenceEvent(10, "online", "b")), on(() -> engine.eventsAfter(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void theEventLogKeepsThreeTimesEventChainLenPlusOne(String kind) throws Exception {
        start(kind, "EVENT_CHAIN_LEN", "3", "OFFLINE_TIMEOUT", "30");
        for (int i = 0; i < 20; i++) {
            String id = "ev" + i;
            on(() -> engine.listeners(Map.of(id, 1)));
        }
        List<PresenceEvent> kept = on(() -> engine.eventsAfter(0));
        assertEquals(12, kept.size(), "3 x (3 + 1)");
        assertEquals(18, kept.get(0).pos());
        assertEquals(new PresenceEvent(29, "online", "ev19"), kept.get(11));
        assertEquals(30L, on(() -> engine.nextEventPosition()));
        assertEquals(
                List.of(29L),
                on(() -> engine.eventsAfter(28)).stream()
                        .map(PresenceEvent::pos)
                        .toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void statsNamesTheOnlineTimersAndAFreshEngineIsHealthy(String kind) throws Exception {
        start(kind);
        on(() -> engine.listeners(Map.of("st", 1)));
        Map<String, String> stats = on(() -> engine.stats());
        assertTrue(stats.get("online_timers").startsWith("st => assigned (1 listening"), stats.toString());
        assertTrue(engine.healthy());
    }

    // ---- helpers ------------------------------------------------------------------------

    private static Map<String, Cursor> single(String id) {
        Map<String, Cursor> m = new HashMap<>();
        m.put(id, null);
        return m;
    }

    private StoredMessage publish(Map<String, Cursor> targets, List<String> limiters, String data) throws Exception {
        return on(() -> engine.publish(targets, limiters, data.getBytes(StandardCharsets.UTF_8)));
    }

    private Map<String, List<StoredMessage>> queuedAfter(Map<String, Cursor> after) throws Exception {
        return on(() -> engine.queuedAfter(after));
    }

    private String online() throws Exception {
        return on(() -> engine.online(id -> true)).text();
    }

    /** Runs the engine's timers as the Hub's periodic tick does. */
    private void tick() throws Exception {
        long now = System.currentTimeMillis();
        on(() -> {
            engine.tick(now);
            return Future.succeededFuture();
        });
    }

    private static String text(StoredMessage m) {
        return new String(m.data(), StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<StoredMessage> ms) {
        assertFalse(ms == null, "no queue");
        return ms.stream().map(EngineContractTest::text).toList();
    }

    /** Runs {@code call} on the Hub's context, checks its future completes there, and waits for it. */
    private <T> T on(Supplier<Future<T>> call) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        hub.runOnContext(v -> {
            Thread here = Thread.currentThread();
            call.get().onComplete(ar -> {
                if (Thread.currentThread() != here) {
                    out.completeExceptionally(new AssertionError(
                            "completed on " + Thread.currentThread().getName()));
                } else if (ar.succeeded()) {
                    out.complete(ar.result());
                } else {
                    out.completeExceptionally(ar.cause());
                }
            });
        });
        return out.get(10, TimeUnit.SECONDS);
    }

    private interface Read<T> {
        T get() throws Exception;
    }

    private static <T> void awaitEqual(String what, T expected, Read<T> value) throws Exception {
        long deadline = System.currentTimeMillis() + SOON_MS;
        T last;
        while (!expected.equals(last = value.get())) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what + ": expected <" + expected + "> but was <" + last + ">");
            }
            Thread.sleep(20);
        }
    }
}
