package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.realplexor.config.Settings;
import org.realplexor.engine.StoredMessage;
import org.realplexor.engine.redis.RedisEngine;
import org.realplexor.protocol.Cursor;

/**
 * The Hub touches its state from its own thread only, so the engine must complete every future
 * and hand every message there, although Redis answers arrive on sockets (whose handlers Vert.x
 * runs on a context of the client's making).
 */
class EngineThreadTest {

    @Test
    void everyFutureAndEveryMessageCompletesOnTheHubsContext() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (RedisServer redis = RedisServer.start()) {
            ContextInternal hub = ((VertxInternal) vertx).createEventLoopContext();
            Settings s = Settings.from(Map.of("ENGINE", "redis", "REDIS_URL", redis.url(),
                    "REDIS_PREFIX", "thread:", "VERBOSITY", "1"), Path.of("."));
            RedisEngine engine = new RedisEngine(hub, s);
            List<String> wrongPlaces = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<StoredMessage> handed = new CompletableFuture<>();
            on(hub, () -> {
                hubThread = Thread.currentThread();
                engine.onMessage(m -> {
                    check(hub, "onMessage", wrongPlaces);
                    handed.complete(m);
                });
                return Future.succeededFuture();
            });

            Map<String, Cursor> targets = new LinkedHashMap<>();
            targets.put("t1", null);
            targets.put("t2", Cursor.of("0010.50"));
            StoredMessage published = on(hub, () -> engine.publish(targets, List.of("lim"),
                    "{}".getBytes(StandardCharsets.UTF_8)).andThen(ar -> check(hub, "publish", wrongPlaces)));
            StoredMessage arrived = handed.get(5, TimeUnit.SECONDS);
            assertEquals(published.cursors(), arrived.cursors());
            assertEquals(published.limiters(), arrived.limiters());
            assertEquals("0010.50", arrived.cursors().get("t2").text());

            Map<String, List<StoredMessage>> queued = on(hub, () -> engine.queued(List.of("t1", "t2", "none"))
                    .andThen(ar -> check(hub, "queued", wrongPlaces)));
            assertEquals(List.of("t1", "t2"), queued.keySet().stream().sorted().toList());
            assertTrue(queued.get("t1").get(0) == queued.get("t2").get(0), "one message, one instance");

            on(hub, () -> engine.listeners(Map.of("t1", 1)).andThen(ar -> check(hub, "listeners", wrongPlaces)));
            assertEquals("t1 1\n", on(hub, () -> engine.online(id -> true).andThen(ar -> check(hub, "online", wrongPlaces))).text());
            assertEquals(1, on(hub, () -> engine.eventsAfter(0).andThen(ar -> check(hub, "eventsAfter", wrongPlaces))).size());
            assertEquals(11L, on(hub, () -> engine.nextEventPosition().andThen(ar -> check(hub, "nextEventPosition", wrongPlaces))));
            assertTrue(on(hub, () -> engine.stats().andThen(ar -> check(hub, "stats", wrongPlaces))).containsKey("redis"));
            assertTrue(engine.healthy());
            on(hub, engine::close);
            assertEquals(List.of(), wrongPlaces);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static volatile Thread hubThread;

    private static void check(Context hub, String what, List<String> wrongPlaces) {
        if (Thread.currentThread() != hubThread) wrongPlaces.add(what + " on " + Thread.currentThread().getName());
    }

    /** Runs {@code call} on the hub's context and waits for its result. */
    private static <T> T on(Context hub, Supplier<Future<T>> call) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        hub.runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) out.complete(ar.result());
            else out.completeExceptionally(ar.cause());
        }));
        return out.get(10, TimeUnit.SECONDS);
    }
}
