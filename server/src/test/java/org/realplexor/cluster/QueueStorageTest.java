package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the queues leave in Redis: a message is stored once, outlives every queue holding it, and
 * goes when no queue holds it any more (at once on rotation, within CLEAN_ID_AFTER on expiry).
 */
class QueueStorageTest {
    private static final Duration SOON = Duration.ofSeconds(5);

    private static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) redis.close();
    }

    @Test
    void rotationDropsMessagesNoQueueHoldsAnyMore() {
        try (Cluster cl = Cluster.start(redis, 2, "MAX_DATA_FOR_ID", "2")) {
            String p = cl.prefix();
            Wire.publish(cl.node(0).inPort(), "r1,r2", "\"shared\"");
            for (int i = 0; i < 3; i++) Wire.publish(cl.node(1).inPort(), "r1", "" + i);
            assertEquals(
                    List.of(p + "m:1", p + "m:3", p + "m:4"),
                    keys(p + "m:*"),
                    "message 1 fell out of r1 but r2 still holds it; message 2 fell out of its only queue");
            // Node 0 hears node 1's publishes over the bus a moment later; a poll that registers
            // before the last of them arrives may still be handed message 0 from the bus. Once
            // node 0 has caught up, the queues alone answer.
            Await.equal("the queues' messages", List.of("\"shared\"", "1", "2"), SOON, () -> {
                try (Wire.Poll poll = Wire.poll(cl.node(0).waitPort(), "0:r1,0:r2")) {
                    return CrossNodeDeliveryTest.data(poll.parts(SOON));
                }
            });
        }
    }

    @Test
    void queuesExpireCleanIdAfterTheLastPublishAndTheirMessagesWithThem() throws InterruptedException {
        try (Cluster cl = Cluster.start(redis, 2, "CLEAN_ID_AFTER", "2")) {
            String p = cl.prefix();
            Wire.publish(cl.node(0).inPort(), "e1", "\"old\"");
            Thread.sleep(1200);
            Wire.publish(cl.node(1).inPort(), "e1", "\"new\"");
            Thread.sleep(1200);
            // 2.4 s after the first publish: the queue, refreshed by the second, still holds both
            try (Wire.Poll poll = Wire.poll(cl.node(1).waitPort(), "0:e1")) {
                assertEquals(List.of("\"old\"", "\"new\""), CrossNodeDeliveryTest.data(poll.parts(SOON)));
            }
            // the queue goes 2 s after the last publish, its messages at most 2 s later
            Await.equal("queue and messages gone", List.of(), SOON, () -> keys(p + "[qm]*"));
            try (Wire.Poll poll = Wire.poll(cl.node(0).waitPort(), "0:e1")) {
                poll.assertWaiting(Duration.ofMillis(200));
            }
        }
    }

    private static List<String> keys(String pattern) {
        String r = redis.call("KEYS", pattern);
        return r.isEmpty()
                ? List.of()
                : List.of(r.split("\n")).stream().sorted().toList();
    }
}
