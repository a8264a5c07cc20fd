package org.realplexor.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #19: queues survive a restart of the embedded engine. Real server processes with
 * DATA_DIR, publishers and long-poll listeners running through the stop: listeners that come back
 * with their cursors must get every acknowledged message once. Counted per case: lost
 * (acknowledged, never received) and duplicated (received twice); extras (received, never
 * acknowledged: stored, but the publisher saw the connection fail) are only reported.
 */
class RestartDurabilityTest {
    private static final int IDS = 12;
    private static final Pattern PART =
            Pattern.compile("\"ids\": \\{ \"(\\w+)\": \"([\\d.]+)\" \\},\\s*\"data\": \\{\"seq\":(\\d+)\\}");

    private Path dir;
    private final List<ServerProcess> servers = new ArrayList<>();

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("realplexor-data");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ServerProcess s : servers) s.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    private ServerProcess start(int waitPort, int inPort, String fsync) throws Exception {
        ServerProcess s = ServerProcess.start(
                waitPort,
                inPort,
                Map.of(
                        "DATA_DIR",
                        dir.toString(),
                        "JOURNAL_FSYNC",
                        fsync,
                        "MAX_DATA_FOR_ID",
                        "100000",
                        "WAIT_TIMEOUT",
                        "3"));
        servers.add(s);
        return s;
    }

    /** What a run saw: acknowledged publishes and, per listener, how often each seq arrived. */
    private static final class Run {
        final Map<Integer, String> acknowledged = new ConcurrentHashMap<>(); // seq -> id
        final Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
        final Map<String, BigDecimal> highestCursor = new ConcurrentHashMap<>();
        final AtomicBoolean publishing = new AtomicBoolean(true);
        final AtomicBoolean listening = new AtomicBoolean(true);
        final AtomicInteger nextSeq = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();

        long lost() {
            return acknowledged.keySet().stream()
                    .filter(s -> !received.containsKey(s))
                    .count();
        }

        long duplicated() {
            return received.values().stream().filter(n -> n.get() > 1).count();
        }

        long extra() {
            return received.keySet().stream()
                    .filter(s -> !acknowledged.containsKey(s))
                    .count();
        }

        boolean allArrived() {
            return acknowledged.keySet().stream().allMatch(received::containsKey);
        }
    }

    /** Publishers and listeners on fixed ports; they retry through the restart. */
    private static Run load(int waitPort, int inPort, int publishers) {
        Run run = new Run();
        for (int i = 0; i < IDS; i++) {
            String id = "dur_" + i;
            Thread t = new Thread(
                    () -> {
                        String cursor = "0";
                        while (run.listening.get()) {
                            String body = ServerProcess.poll(waitPort, id, cursor, 10_000);
                            if (body == null) {
                                sleep(50); // the server is down: come back with the same cursor
                                continue;
                            }
                            Matcher m = PART.matcher(body);
                            while (m.find()) {
                                run.received
                                        .computeIfAbsent(Integer.parseInt(m.group(3)), k -> new AtomicInteger())
                                        .incrementAndGet();
                                cursor = m.group(2);
                            }
                            // Between polls, as a page is: what is published meanwhile waits in the queue.
                            sleep(java.util.concurrent.ThreadLocalRandom.current()
                                    .nextInt(400));
                        }
                    },
                    "listener-" + id);
            run.threads.add(t);
        }
        for (int p = 0; p < publishers; p++) {
            Thread t = new Thread(
                    () -> {
                        while (run.publishing.get()) {
                            int seq = run.nextSeq.getAndIncrement();
                            String id = "dur_" + (seq % IDS);
                            Map<String, String> got = ServerProcess.publish(inPort, id, "{\"seq\":" + seq + "}");
                            if (got != null && got.containsKey(id)) {
                                run.acknowledged.put(seq, id);
                                run.highestCursor.merge(id, new BigDecimal(got.get(id)), BigDecimal::max);
                            } else {
                                sleep(20);
                            }
                        }
                    },
                    "publisher-" + p);
            run.threads.add(t);
        }
        run.threads.forEach(Thread::start);
        return run;
    }

    private static void finish(Run run, String what) throws InterruptedException {
        run.publishing.set(false);
        long deadline = System.currentTimeMillis() + 30_000;
        while (!run.allArrived() && System.currentTimeMillis() < deadline) Thread.sleep(100);
        run.listening.set(false);
        for (Thread t : run.threads) t.join(15_000);
        System.out.printf(
                "%s: %d acknowledged, lost %d, duplicated %d, extra (unacknowledged but stored) %d%n",
                what, run.acknowledged.size(), run.lost(), run.duplicated(), run.extra());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs load, stops the first server as {@code stop} says, restarts on the same ports and folder. */
    private Run restartUnderLoad(String fsync, boolean kill) throws Exception {
        int waitPort = ServerProcess.freePort();
        int inPort = ServerProcess.freePort();
        ServerProcess first = start(waitPort, inPort, fsync);
        Run run = load(waitPort, inPort, 3);
        Thread.sleep(2500);
        BigDecimal before =
                run.highestCursor.values().stream().max(BigDecimal::compareTo).orElseThrow();
        if (kill) first.kill();
        else assertEquals(0, first.term(), "SIGTERM ends with status 0:\n" + first.logText());
        int ackedAtStop = run.acknowledged.size();
        ServerProcess second = start(waitPort, inPort, fsync);
        Thread.sleep(1500);
        finish(
                run,
                (kill ? "SIGKILL" : "SIGTERM") + " with JOURNAL_FSYNC=" + fsync + " (" + ackedAtStop
                        + " acknowledged before the stop)");
        assertTrue(second.logText().contains("journal: restored"), second.logText());
        // Cursors given out after the restart are above every one given out before.
        String after =
                ServerProcess.publish(inPort, "dur_after", "{\"seq\":-1}").get("dur_after");
        assertTrue(new BigDecimal(after).compareTo(before) > 0, after + " after " + before);
        assertTrue(ackedAtStop > 20, "the load published before the stop: " + ackedAtStop);
        return run;
    }

    @Test
    void sigtermLosesAndDuplicatesNothing() throws Exception {
        Run run = restartUnderLoad("everysec", false);
        assertEquals(0, run.lost(), "lost");
        assertEquals(0, run.duplicated(), "duplicated");
    }

    @Test
    void sigkillWithFsyncAlwaysLosesNothingAcknowledged() throws Exception {
        Run run = restartUnderLoad("always", true);
        assertEquals(0, run.lost(), "lost");
        assertEquals(0, run.duplicated(), "duplicated");
    }

    /** A killed process's writes are in the OS's page cache: everysec loses at most what was not yet written. */
    @Test
    void sigkillWithFsyncEverysecLosesAtMostASecond() throws Exception {
        Run run = restartUnderLoad("everysec", true);
        assertEquals(0, run.duplicated(), "duplicated");
        // ~3 publishers on two shared cores: a second's worth is far above this.
        assertTrue(run.lost() <= run.acknowledged.size() / 3, "lost " + run.lost());
    }

    @Test
    void aDamagedJournalTailIsSkippedWithALogLineAndTheRestIsKept() throws Exception {
        int waitPort = ServerProcess.freePort();
        int inPort = ServerProcess.freePort();
        ServerProcess first = start(waitPort, inPort, "always");
        for (int i = 0; i < 50; i++) assertTrue(ServerProcess.publish(inPort, "torn", "{\"seq\":" + i + "}") != null);
        first.kill();
        Path journal;
        try (Stream<Path> files = Files.list(dir)) {
            journal = files.filter(p -> p.getFileName().toString().startsWith("journal-"))
                    .findFirst()
                    .orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3); // a write cut by the crash: the last record loses its end
        }
        ServerProcess second = start(waitPort, inPort, "always");
        assertTrue(second.logText().contains("ends in damage: a record cut short"), second.logText());
        String body = ServerProcess.poll(waitPort, "torn", "0", 5000);
        Matcher m = PART.matcher(body);
        List<Integer> seqs = new ArrayList<>();
        while (m.find()) seqs.add(Integer.parseInt(m.group(3)));
        assertEquals(java.util.stream.IntStream.range(0, 49).boxed().toList(), seqs, "the 49 whole records");
        // The damage is compacted away: a second restart reads a clean snapshot.
        assertEquals(0, second.term());
        ServerProcess third = start(waitPort, inPort, "always");
        assertTrue(!third.logText().contains("damage"), third.logText());
        assertEquals(body, ServerProcess.poll(waitPort, "torn", "0", 5000));
    }
}
