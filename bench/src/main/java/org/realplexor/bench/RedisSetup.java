package org.realplexor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Redis a cluster run's nodes share, in one of the server's REDIS_MODEs: one redis-server
 * (standalone), a master with one replica and three Sentinels (sentinel), or a Redis Cluster of
 * three masters without replicas (cluster). Knows the knobs the nodes need to reach it and reads
 * the CPU of each of its processes.
 */
final class RedisSetup implements AutoCloseable {
    static final List<String> MODES = List.of("standalone", "sentinel", "cluster");
    private static final String MASTER_NAME = "mymaster";
    private static final int SHARDS = 3;

    final String mode;
    /** The processes that hold data (the one Redis, master and replica, the shards), in that order. */
    private final List<RedisProcess> data;
    /** Sentinels: only in sentinel mode, their CPU is reported apart. */
    private final List<RedisProcess> sentinels;

    private final List<String> nodeSets;

    private RedisSetup(String mode, List<RedisProcess> data, List<RedisProcess> sentinels, List<String> nodeSets) {
        this.mode = mode;
        this.data = data;
        this.sentinels = sentinels;
        this.nodeSets = nodeSets;
    }

    static RedisSetup start(String mode, String binary) throws IOException, InterruptedException {
        List<RedisProcess> started = new ArrayList<>();
        try {
            return switch (mode) {
                case "standalone" -> {
                    RedisProcess r = RedisProcess.start(binary, 30);
                    started.add(r);
                    yield new RedisSetup(mode, List.of(r), List.of(), List.of("REDIS_URL=" + r.url()));
                }
                case "sentinel" -> sentinel(binary, started);
                case "cluster" -> cluster(binary, started);
                default -> throw new IllegalArgumentException("unknown Redis mode: " + mode);
            };
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (RedisProcess r : started) {
                r.close();
            }
            throw e;
        }
    }

    private static RedisSetup sentinel(String binary, List<RedisProcess> started)
            throws IOException, InterruptedException {
        RedisProcess master = RedisProcess.start(binary, 30, "master", List.of());
        started.add(master);
        RedisProcess replica = RedisProcess.start(
                binary, 30, "replica", List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
        started.add(replica);
        List<RedisProcess> sentinels = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            RedisProcess s = RedisProcess.sentinel(binary, 30, "sentinel" + i, master, MASTER_NAME);
            started.add(s);
            sentinels.add(s);
        }
        Deadline d = Deadline.in(30);
        awaitTrue(
                "the replica in sync",
                d,
                () -> replica.call("INFO", "replication").contains("master_link_status:up"));
        for (RedisProcess s : sentinels) {
            // The nodes ask the sentinels for the master; each must know it, the replica and the other two.
            awaitTrue("each sentinel to know the replica and the other sentinels", d, () -> {
                String m = "\n" + s.call("SENTINEL", "MASTER", MASTER_NAME) + "\n";
                return m.contains("\nnum-slaves\n1\n") && m.contains("\nnum-other-sentinels\n2\n");
            });
        }
        String urls = sentinels.stream().map(RedisProcess::url).collect(Collectors.joining(","));
        return new RedisSetup(
                "sentinel",
                List.of(master, replica),
                sentinels,
                List.of("REDIS_MODE=sentinel", "REDIS_URL=" + urls, "REDIS_MASTER_NAME=" + MASTER_NAME));
    }

    private static RedisSetup cluster(String binary, List<RedisProcess> started)
            throws IOException, InterruptedException {
        List<RedisProcess> shards = new ArrayList<>();
        for (int i = 1; i <= SHARDS; i++) {
            RedisProcess r = RedisProcess.start(
                    binary,
                    30,
                    "shard" + i,
                    List.of(
                            "--cluster-enabled",
                            "yes",
                            "--cluster-config-file",
                            "nodes.conf",
                            "--cluster-node-timeout",
                            "5000"));
            started.add(r);
            shards.add(r);
        }
        List<String> cmd = new ArrayList<>(List.of(redisCli(binary), "--cluster", "create"));
        for (RedisProcess r : shards) {
            cmd.add("127.0.0.1:" + r.port());
        }
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Bench.note(String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("redis-cli --cluster create failed:\n" + out);
        }
        Deadline d = Deadline.in(30);
        for (RedisProcess r : shards) {
            awaitTrue(
                    "cluster_state:ok on " + r.label,
                    d,
                    () -> r.call("CLUSTER", "INFO").contains("cluster_state:ok"));
        }
        String urls = shards.stream().map(RedisProcess::url).collect(Collectors.joining(","));
        return new RedisSetup("cluster", shards, List.of(), List.of("REDIS_MODE=cluster", "REDIS_URL=" + urls));
    }

    /** redis-cli next to the given redis-server, else the one on the PATH. */
    private static String redisCli(String redisServer) {
        int slash = redisServer.lastIndexOf('/');
        return slash < 0 ? "redis-cli" : redisServer.substring(0, slash + 1) + "redis-cli";
    }

    private interface Check {
        boolean ok() throws IOException;
    }

    private static void awaitTrue(String what, Deadline d, Check c) throws IOException, InterruptedException {
        while (!c.ok()) {
            if (d.expired()) {
                throw new IOException("Redis set-up: timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** ENGINE=redis and the REDIS_* knobs a node needs. */
    List<String> nodeSets() {
        List<String> out = new ArrayList<>(List.of("ENGINE=redis"));
        out.addAll(nodeSets);
        return out;
    }

    /** CPU of the data-bearing processes together (not the sentinels). */
    ProcStats.Sample sample() {
        ProcStats.Sample sum = null;
        for (RedisProcess r : data) {
            sum = sum == null ? r.sample() : sum.plus(r.sample());
        }
        return sum;
    }

    /** Every process, data-bearing and sentinels: the machine's Redis share. */
    ProcStats.Sample sampleAll() {
        ProcStats.Sample sum = sample();
        for (RedisProcess r : sentinels) {
            sum = sum.plus(r.sample());
        }
        return sum;
    }

    /** CPU seconds of each process by label (data first, then the sentinels). */
    Map<String, Double> cpuByProcess() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (RedisProcess r : data) {
            out.put(r.label, r.sample().cpuSeconds());
        }
        for (RedisProcess r : sentinels) {
            out.put(r.label, r.sample().cpuSeconds());
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        for (RedisProcess r : sentinels) {
            r.close();
        }
        for (RedisProcess r : data) {
            r.close();
        }
    }
}
