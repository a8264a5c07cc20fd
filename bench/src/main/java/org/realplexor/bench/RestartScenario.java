package org.realplexor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (e) A restart with DATA_DIR: N publishes queued (publish k to id k mod IDS, so every id keeps
 * N / IDS messages under MAX_DATA_FOR_ID), then SIGKILL and a start that replays the journal
 * (and compacts it), then SIGTERM (the snapshot) and a start that reads the snapshot. Each start
 * is timed from the process's launch to both lines accepting; the server's own "restored" line
 * says how many queue entries came back. Runs its own servers.
 */
final class RestartScenario {
    private static final Pattern RESTORED = Pattern.compile("journal: restored (\\d+) queued messages.* in (\\d+) ms");

    private final Loopback net;
    private final Deadline deadline;
    private final String java;
    private final Path jar;
    private final List<String> flags;
    private final List<String> sets;
    private final Path dataDir;
    private final int messages;
    private final int ids;
    private final int concurrency;

    RestartScenario(
            Loopback net,
            Deadline deadline,
            String java,
            Path jar,
            List<String> flags,
            List<String> sets,
            Path dataDir,
            int messages,
            int ids,
            int concurrency) {
        this.net = net;
        this.deadline = deadline;
        this.java = java;
        this.jar = jar;
        this.flags = flags;
        this.sets = sets;
        this.dataDir = dataDir;
        this.messages = messages;
        this.ids = ids;
        this.concurrency = concurrency;
    }

    Scenario.Result run() throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(sets);
        all.add("DATA_DIR=" + dataDir);
        all.add("VERBOSITY=3"); // the "restored" line is at info
        all.add("MAX_DATA_FOR_ID=" + Math.max(30, (messages + ids - 1) / ids));
        ServerUnderTest first = ServerUnderTest.start(java, jar, flags, all, null, 120);
        InClient in = new InClient(net, first.in);
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger errors = new AtomicInteger();
        long t0 = System.nanoTime();
        boolean inTime = true;
        for (int k = 0; k < messages && inTime; k++) {
            if (!inFlight.tryAcquire(deadline.remainingNanos(), TimeUnit.NANOSECONDS)) {
                inTime = false;
                break;
            }
            in.send("restart_" + (k % ids), Scenario.payload(k)).whenComplete((a, e) -> {
                if (e != null || a.status() != 200) {
                    errors.incrementAndGet();
                }
                inFlight.release();
            });
            if (k % 100_000 == 99_999) {
                Bench.note("restart: " + (k + 1) + " published");
            }
        }
        inTime &= inFlight.tryAcquire(concurrency, deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        double publishS = (System.nanoTime() - t0) / 1e9;
        long diskAfterPublish = du(dataDir);
        first.kill();

        long s1 = System.nanoTime();
        ServerUnderTest second = ServerUnderTest.start(java, jar, flags, all, null, 300);
        double fromJournalS = (System.nanoTime() - s1) / 1e9;
        Matcher fromJournal = RESTORED.matcher(second.logTail());
        long s2 = System.nanoTime();
        second.close();
        double stopS = (System.nanoTime() - s2) / 1e9;
        long diskSnapshot = du(dataDir);

        long s3 = System.nanoTime();
        ServerUnderTest third = ServerUnderTest.start(java, jar, flags, all, null, 300);
        double fromSnapshotS = (System.nanoTime() - s3) / 1e9;
        Matcher fromSnapshot = RESTORED.matcher(third.logTail());
        third.close();

        boolean j = fromJournal.find();
        boolean s = fromSnapshot.find();
        Line line = new Line("restart")
                .put("messages", messages)
                .put("ids", ids)
                .num("publish_s", publishS, 1)
                .mb("journal", diskAfterPublish)
                .num("start_from_journal_s", fromJournalS, 2)
                .put("restored_from_journal", j ? fromJournal.group(1) : "n/a")
                .put("replay_ms", j ? fromJournal.group(2) : "n/a")
                .num("sigterm_stop_s", stopS, 2)
                .mb("snapshot", diskSnapshot)
                .num("start_from_snapshot_s", fromSnapshotS, 2)
                .put("restored_from_snapshot", s ? fromSnapshot.group(1) : "n/a")
                .put("read_ms", s ? fromSnapshot.group(2) : "n/a")
                .put("publish_errors", errors.get());
        boolean ok = inTime
                && errors.get() == 0
                && j
                && s
                && fromJournal.group(1).equals(String.valueOf(messages))
                && fromSnapshot.group(1).equals(String.valueOf(messages));
        line.put("status", ok ? "ok" : inTime ? "error" : "timeout");
        return new Scenario.Result(line, ok);
    }

    private static long du(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
