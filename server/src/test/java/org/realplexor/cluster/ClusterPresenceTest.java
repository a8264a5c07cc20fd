package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence and the event log are the cluster's: counts summed, one log, dead nodes reaped. */
class ClusterPresenceTest {
    private static final Duration SOON = Duration.ofSeconds(5);
    private static final String[] KNOBS = {"OFFLINE_TIMEOUT", "0.3", "REDIS_NODE_TTL", "1", "WAIT_TIMEOUT", "30"};

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
    void onlineCountersAreSummedOverNodes() {
        try (Cluster cl = Cluster.start(redis, 3, KNOBS);
                Wire.Poll a1 = Wire.poll(cl.node(0).waitPort(), "x");
                Wire.Poll a2 = Wire.poll(cl.node(0).waitPort(), "x");
                Wire.Poll b1 = Wire.poll(cl.node(1).waitPort(), "x");
                Wire.Poll c1 = Wire.poll(cl.node(2).waitPort(), "y")) {
            for (Node n : cl.nodes) Await.equal("ONLINE on every node", "x 3\ny 1\n", SOON, () -> online(n, ""));
            a1.close();
            Await.equal("ONLINE after one of three left", "x 2\ny 1\n", SOON, () -> online(cl.node(2), ""));
            assertEquals("x 2\n", online(cl.node(1), " x"));
            a2.close();
            b1.close();
            c1.close();
            Await.equal(
                    "ONLINE once everybody left and OFFLINE_TIMEOUT passed", "", SOON, () -> online(cl.node(0), ""));
        }
    }

    @Test
    void onlineOverManyIdsIsCompleteAndStatsIsBounded() {
        String[] knobs = java.util.Arrays.copyOf(KNOBS, KNOBS.length + 4);
        knobs[KNOBS.length] = "WAIT_MAXLEN";
        knobs[KNOBS.length + 1] = "100000";
        knobs[KNOBS.length + 2] = "WAIT_MAX_IDS";
        knobs[KNOBS.length + 3] = "100000";
        int polls = 4;
        int own = 3_000; // 12,000 ids: more than one HSCAN page
        try (Cluster cl = Cluster.start(redis, 2, knobs)) {
            java.util.List<Wire.Poll> held = new java.util.ArrayList<>();
            try {
                StringBuilder expected = new StringBuilder();
                java.util.TreeMap<String, Integer> all = new java.util.TreeMap<>();
                for (int i = 0; i < polls; i++) {
                    StringBuilder ids = new StringBuilder("many");
                    for (int k = 0; k < own; k++) {
                        ids.append(",m").append(i).append('_').append(k);
                        all.put("m" + i + "_" + k, 1);
                    }
                    held.add(Wire.poll(cl.node(i % 2).waitPort(), ids.toString()));
                }
                all.put("many", polls);
                all.forEach((id, n) -> expected.append(id).append(' ').append(n).append('\n'));
                Await.equal("ONLINE lists every id", expected.toString(), SOON, () -> online(cl.node(1), ""));
                assertEquals("many 4\n", online(cl.node(0), " many"));
                String stats = Wire.command(cl.node(0).inPort(), "STATS");
                String timers =
                        stats.substring(stats.indexOf("[online_timers]\n"), stats.indexOf("\n\n[cleanup_timers]"));
                String[] lines = timers.split("\n");
                assertEquals(1 + 1000 + 1, lines.length, "header, 1,000 ids, the rest counted");
                assertEquals("m0_0 => assigned (1 listening cluster-wide, 1 here)", lines[1]);
                assertEquals("... and " + (polls * own + 1 - 1000) + " more", lines[1001]);
                String fhs = stats.substring(stats.indexOf("[connected_fhs]\n"), stats.indexOf("\n\n[online_timers]"));
                assertEquals(1 + 1000 + 1, fhs.split("\n").length, fhs.substring(0, 200));
                assertEquals(
                        "... and " + (2 * own + 1 - 1000) + " more", fhs.split("\n")[1001], "node 0 holds two polls");
            } finally {
                held.forEach(Wire.Poll::close);
            }
        }
    }

    @Test
    void watchSeesOneLogWithEventsFromEveryNode() {
        try (Cluster cl = Cluster.start(redis, 2, KNOBS)) {
            Node a = cl.node(0);
            Node b = cl.node(1);
            assertEquals("FAKE 10:FAKE\n", Wire.command(a.inPort(), "WATCH"), "a fresh cluster starts at 10");
            try (Wire.Poll wa = Wire.poll(a.waitPort(), "wa")) {
                Await.equal(
                        "the online event of A's listener, seen from B",
                        "online 10:wa\n",
                        SOON,
                        () -> Wire.command(b.inPort(), "WATCH 9"));
                try (Wire.Poll wb = Wire.poll(b.waitPort(), "wb")) {
                    Await.equal(
                            "both nodes' events in one log",
                            "online 10:wa\nonline 11:wb\n",
                            SOON,
                            () -> Wire.command(a.inPort(), "WATCH 9"));
                }
                Await.equal(
                        "B's listener offline after OFFLINE_TIMEOUT, seen from A",
                        "offline 12:wb\n",
                        SOON,
                        () -> Wire.command(a.inPort(), "WATCH 11"));
            }
            Await.equal(
                    "A's listener offline, seen from B",
                    "offline 13:wa\n",
                    SOON,
                    () -> Wire.command(b.inPort(), "WATCH 12"));
            assertEquals(
                    "offline 12:wb\noffline 13:wa\n",
                    Wire.command(a.inPort(), "WATCH 10"),
                    "newest event per id, oldest first");
            assertEquals("FAKE 14:FAKE\n", Wire.command(b.inPort(), "WATCH 0"));
        }
    }

    @Test
    void theListenersOfANodeThatDiedWithoutGoodbyeGoOffline() {
        try (Cluster cl = Cluster.start(redis, 1, KNOBS);
                NodeProcess doomed = NodeProcess.start(cl.knobs)) {
            Node a = cl.node(0);
            try (Wire.Poll here = Wire.poll(a.waitPort(), "ghost");
                    Wire.Poll there = Wire.poll(doomed.waitPort, "ghost,lonely")) {
                Await.equal("both nodes' listeners counted", "ghost 2\nlonely 1\n", SOON, () -> online(a, ""));
                doomed.kill();
                // REDIS_NODE_TTL=1: reaped after a second; then "lonely" runs its 0.3 s countdown
                Await.equal("the dead node's listeners taken off", "ghost 1\n", SOON, () -> online(a, ""));
                Await.equal(
                        "lonely's offline event",
                        "offline 12:lonely\n",
                        SOON,
                        () -> Wire.command(a.inPort(), "WATCH 11 lonely"));
            }
            Await.equal("ghost offline once the last listener left", "", SOON, () -> online(a, ""));
        }
    }

    private static String online(Node n, String args) {
        return Wire.command(n.inPort(), "ONLINE" + args);
    }
}
