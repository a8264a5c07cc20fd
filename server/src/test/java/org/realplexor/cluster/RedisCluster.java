package org.realplexor.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster on loopback: {@code masters} redis-servers with cluster-enabled (and as
 * many replicas with {@code replicas}), joined by {@code redis-cli --cluster create}, waited for
 * until every node says cluster_state:ok and every replica is in sync. cluster-node-timeout is
 * 1000 ms, so a killed master's replica takes over in a few seconds. Public: the engine contract
 * suite runs on it too.
 */
public final class RedisCluster implements AutoCloseable {
    private final List<RedisServer> servers;

    private RedisCluster(List<RedisServer> servers) {
        this.servers = servers;
    }

    public static RedisCluster start(int masters, boolean replicas) {
        List<RedisServer> servers = new ArrayList<>();
        try {
            int n = replicas ? 2 * masters : masters;
            for (int i = 0; i < n; i++) {
                servers.add(RedisServer.start(List.of(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "1000",
                        "--appendonly",
                        "no")));
            }
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/redis-cli", "--cluster", "create"));
            for (RedisServer s : servers) cmd.add("127.0.0.1:" + s.port());
            cmd.addAll(List.of("--cluster-replicas", replicas ? "1" : "0", "--cluster-yes"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            RedisCluster c = new RedisCluster(servers);
            c.awaitHealthy(20_000);
            return c;
        } catch (IOException e) {
            servers.forEach(RedisServer::close);
            throw new UncheckedIOException(e);
        } catch (InterruptedException | RuntimeException e) {
            servers.forEach(RedisServer::close);
            throw new IllegalStateException("starting a Redis Cluster", e);
        }
    }

    /** Every live node says cluster_state:ok, each replica's link to its master is up and its master sees it online. */
    void awaitHealthy(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            boolean ok = true;
            for (RedisServer s : servers) {
                if (!s.alive()) continue;
                ok &= s.call("CLUSTER", "INFO").contains("cluster_state:ok");
                String repl = s.call("INFO", "replication");
                if (repl.contains("role:slave")) ok &= repl.contains("master_link_status:up");
                // and the master's side: a replica still in its first sync cannot acknowledge (WAIT)
                ok &= !repl.contains("state=wait_bgsave") && !repl.contains("state=send_bulk");
                if (repl.contains("role:master") && repl.contains("slave0:")) ok &= repl.contains("state=online");
            }
            if (ok) return;
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the Redis Cluster did not become healthy: "
                        + servers.get(0).call("CLUSTER", "NODES"));
            }
            Thread.sleep(50);
        }
    }

    /** REDIS_URL for REDIS_MODE=cluster: every node as a seed. */
    public String url() {
        return servers.stream().map(RedisServer::url).collect(Collectors.joining(","));
    }

    /** The slot of a key, as the cluster computes it. */
    int slot(String key) {
        return Integer.parseInt(servers.get(0).call("CLUSTER", "KEYSLOT", key));
    }

    /** The live server that is master of {@code slot} now. */
    RedisServer masterOf(int slot) {
        for (RedisServer s : servers) {
            if (!s.alive() || !s.call("INFO", "replication").contains("role:master")) continue;
            for (String line : s.call("CLUSTER", "NODES").split("\n")) {
                if (!line.contains("myself")) continue;
                String[] f = line.split(" ");
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    if (range[0].startsWith("[")) continue;
                    int lo = Integer.parseInt(range[0]);
                    int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                    if (slot >= lo && slot <= hi) return s;
                }
            }
        }
        throw new IllegalStateException("no live master serves slot " + slot);
    }

    /** The live replica following {@code master} (found by its master_port). */
    RedisServer replicaOf(RedisServer master) {
        for (RedisServer s : servers) {
            if (s.alive() && s.call("INFO", "replication").contains("master_port:" + master.port() + "\r")) return s;
        }
        throw new IllegalStateException("no live replica follows port " + master.port());
    }

    /** The masters, in port order. */
    List<RedisServer> masters() {
        List<RedisServer> out = new ArrayList<>();
        for (RedisServer s : servers)
            if (s.alive() && s.call("INFO", "replication").contains("role:master")) out.add(s);
        return out;
    }

    @Override
    public void close() {
        for (RedisServer s : servers) s.close();
    }
}
