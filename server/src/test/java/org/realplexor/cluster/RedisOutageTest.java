package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis killed and started again mid-run (append-only file on): publishes meanwhile get a 503
 * that says why, listeners stay connected, nodes come back by themselves, nothing stored is lost.
 */
class RedisOutageTest {
    private static final Duration SOON = Duration.ofSeconds(5);

    @Test
    void nodesRideOutARedisRestartWithoutLosingAStoredMessage() {
        try (RedisServer redis = RedisServer.start();
                Cluster cl = Cluster.start(redis, 2, "WAIT_TIMEOUT", "60")) {
            Node a = cl.node(0);
            Node b = cl.node(1);
            List<String> cursors = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                bodies.add("{\"n\":" + i + "}");
                cursors.add(Wire.publish(cl.node(i % 2).inPort(), "keep", bodies.get(i))
                        .get("keep"));
            }
            try (Wire.Poll before = Wire.poll(b.waitPort(), "after")) {
                redis.kill();
                Await.until("both nodes to notice", SOON, () -> !a.engine.healthy() && !b.engine.healthy());

                Wire.Reply refused = Wire.in(a.inPort(), "keep", "{\"n\":\"lost\"}");
                assertEquals(503, refused.status(), refused.body());
                assertTrue(refused.body().contains("Redis at " + redis.url() + " is unavailable"), refused.body());

                try (Wire.Poll during = Wire.poll(a.waitPort(), "0:keep")) {
                    before.assertWaiting(Duration.ofMillis(200));
                    during.assertWaiting(Duration.ofMillis(100));
                    redis.restart();
                    Await.until(
                            "both nodes healthy again",
                            Duration.ofSeconds(15),
                            () -> a.engine.healthy() && b.engine.healthy());
                    // its queue read failed; the read-back after the outage answers it (one message,
                    // as any delivery does), and a client reconnecting with its cursor gets the rest
                    List<Wire.Part> first = during.parts(SOON);
                    assertEquals(List.of(bodies.get(0)), CrossNodeDeliveryTest.data(first));
                    try (Wire.Poll rest =
                            Wire.poll(b.waitPort(), first.get(0).ids().get("keep") + ":keep")) {
                        assertEquals(bodies.subList(1, 20), CrossNodeDeliveryTest.data(rest.parts(SOON)));
                    }
                }
                Wire.publish(a.inPort(), "after", "\"resumed\"");
                assertEquals(
                        List.of("\"resumed\""),
                        CrossNodeDeliveryTest.data(before.parts(SOON)),
                        "a listener from before the outage is still there and hears the new subscription");
            }
            try (Wire.Poll later = Wire.poll(b.waitPort(), "0:keep")) {
                List<Wire.Part> parts = later.parts(SOON);
                assertEquals(bodies, CrossNodeDeliveryTest.data(parts), "every stored message survived");
                List<String> got = new ArrayList<>();
                for (Wire.Part p : parts) got.add(p.ids().get("keep"));
                assertEquals(cursors, got);
            }
            String next = Wire.publish(b.inPort(), "keep", "\"next\"").get("keep");
            assertTrue(
                    new java.math.BigDecimal(next).compareTo(new java.math.BigDecimal(cursors.get(19))) > 0,
                    "the clock in Redis survived too: " + next + " after " + cursors.get(19));
        }
    }
}
