package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis that comes back with less than it had: message numbers start again at 1, and a node
 * that was away meanwhile must not take the messages it cached under the old numbers for the
 * new ones. The exact sequence of issue #18, with three node processes: 20 messages, read and
 * held on C; C frozen (SIGSTOP); redis-server restarted on an empty folder; 30 new messages on
 * A and B; C thawed. C's held poll and a fresh read must show the new messages, as A and B do.
 */
class StoreEpochTest {
    private static final Duration ANSWER = Duration.ofSeconds(15);
    private static final String ID = "ep";

    @Test
    void aNodeAwayWhileRedisCameBackEmptyServesTheNewMessagesNotItsCachedOldOnes() {
        try (RedisServer redis = RedisServer.start();
                NodeProcess a = NodeProcess.start(knobs(redis));
                NodeProcess b = NodeProcess.start(knobs(redis));
                NodeProcess c = NodeProcess.start(knobs(redis))) {
            for (int i = 0; i < 20; i++) Wire.publish(a.inPort, ID, "{\"old\":" + i + "}");
            List<Wire.Part> read;
            try (Wire.Poll p = Wire.poll(c.waitPort, "0:" + ID)) {
                read = p.parts(ANSWER);
            }
            assertEquals(20, read.size(), "C read the old messages (and cached them)");
            String last = read.get(19).ids().get(ID);

            List<String> fresh = new ArrayList<>();
            try (Wire.Poll held = Wire.poll(c.waitPort, last + ":" + ID)) {
                held.assertWaiting(Duration.ofMillis(200));
                c.freeze();
                try {
                    redis.restartEmpty();
                    for (int i = 0; i < 30; i++) {
                        fresh.add("{\"new\":" + i + "}");
                        publishWhenUp(i % 2 == 0 ? a : b, fresh.get(i));
                    }
                } finally {
                    c.resume();
                }
                List<Wire.Part> first = held.parts(ANSWER);
                assertFalse(first.isEmpty(), "the held poll on C was answered");
                List<String> got = new ArrayList<>(CrossNodeDeliveryTest.data(first));
                assertEquals(
                        fresh.subList(0, got.size()),
                        got,
                        "C's held poll gets the new messages from the first on, as A's and B's would; C's log:\n"
                                + c.log());
                String cursor = first.get(first.size() - 1).ids().get(ID);
                while (got.size() < fresh.size()) {
                    try (Wire.Poll more = Wire.poll(c.waitPort, cursor + ":" + ID)) {
                        List<Wire.Part> parts = more.parts(ANSWER);
                        got.addAll(CrossNodeDeliveryTest.data(parts));
                        cursor = parts.get(parts.size() - 1).ids().get(ID);
                    }
                    if (got.size() > fresh.size()) break;
                }
                assertEquals(fresh, got, "resuming by cursor on C gets the rest, nothing old, nothing twice");
            }
            for (NodeProcess n : List.of(a, b, c)) {
                try (Wire.Poll whole = Wire.poll(n.waitPort, "0:" + ID)) {
                    assertEquals(
                            fresh,
                            CrossNodeDeliveryTest.data(whole.parts(ANSWER)),
                            "a fresh 0:" + ID + " read on every node returns the new messages alone");
                }
            }
        }
    }

    private static Map<String, Object> knobs(RedisServer redis) {
        return Map.of(
                "ENGINE",
                "redis",
                "REDIS_URL",
                redis.url(),
                "REDIS_PREFIX",
                "epoch:",
                "WAIT_TIMEOUT",
                "60",
                "USERS_FILE",
                "");
    }

    /** Publishes, again while the node answers 503 (it is reconnecting to the restarted Redis). */
    private static void publishWhenUp(NodeProcess n, String body) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            Wire.Reply r = Wire.in(n.inPort, ID, body);
            if (r.status() == 200) return;
            if (r.status() != 503 || System.nanoTime() > deadline)
                fail("publish " + body + ": " + r.status() + " " + r.body());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
