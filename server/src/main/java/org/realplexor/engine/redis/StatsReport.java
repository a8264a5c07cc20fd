package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.realplexor.protocol.FirstSorted;
import org.realplexor.protocol.StatsText;

/**
 * The STATS text of the Redis engine: this node's view, the cluster's nodes and key counts, and
 * the cluster-wide online table (sections the Hub's own follow). Bounded like every section: the
 * online table is read in pages (see {@link HashPages}) keeping only the first
 * {@link StatsText#MAX_LINES} ids, and countdowns are asked for those ids alone.
 */
final class StatsReport {
    private StatsReport() {}

    /**
     * @param r     the presence script's answer to a 'stats' read
     * @param here  the line about this node
     * @param local this node's listener count of an id
     */
    static Future<Map<String, String>> render(
            RedisLink commands,
            RedisKnobs knobs,
            String state,
            String here,
            Replies.Presence r,
            ToIntFunction<String> local) {
        FirstSorted<Integer> first = new FirstSorted<>(StatsText.MAX_LINES);
        return countKeys(commands, knobs, "q:*")
                .compose(queues -> countKeys(commands, knobs, "m:*")
                        .compose(messages -> HashPages.scan(
                                        commands,
                                        knobs.controlPrefix() + "online",
                                        (id, n) -> first.offer(id, Integer.valueOf(n)))
                                .compose(v -> countdowns(commands, knobs, first.entries()))
                                .map(offlineAt -> text(
                                        knobs, state, here, r, local, queues, messages, first.entries(), offlineAt))));
    }

    /** When the countdown of each listed id with no listener ends (absent: none runs). */
    private static Future<Map<String, Long>> countdowns(
            RedisLink commands, RedisKnobs knobs, Map<String, Integer> listed) {
        Map<String, Long> out = new HashMap<>();
        List<Future<?>> reads = new ArrayList<>();
        listed.forEach((id, n) -> {
            if (n > 0) return;
            reads.add(commands.send(Request.cmd(Command.ZSCORE)
                            .arg(knobs.controlPrefix() + "offline_at")
                            .arg(id))
                    .andThen(ar -> {
                        if (ar.succeeded() && ar.result() != null)
                            out.put(id, ar.result().toLong());
                    }));
        });
        return Future.all(reads).map(v -> out);
    }

    private static Map<String, String> text(
            RedisKnobs knobs,
            String state,
            String here,
            Replies.Presence r,
            ToIntFunction<String> local,
            long queues,
            long messages,
            Map<String, Integer> listed,
            Map<String, Long> offlineAt) {
        Replies.ClusterStats c = r.stats();
        long now = c.nowMillis();
        long online = c.onlineIds();
        StringBuilder sb = new StringBuilder();
        sb.append("url ")
                .append(knobs.safeUrl())
                .append(", prefix ")
                .append(knobs.prefix())
                .append('\n');
        sb.append("state ").append(state).append('\n').append(here).append('\n');
        sb.append("nodes");
        c.nodeDeadlines()
                .forEach((node, deadline) -> sb.append(' ')
                        .append(node)
                        .append(" (heartbeat due in ")
                        .append(Math.max(0, deadline - now) / 1000.0)
                        .append("s)"));
        sb.append("\nkeys: ")
                .append(queues < 0 ? "(on the shards, not counted) " : queues + " queue(s), ")
                .append(messages < 0 ? "" : messages + " message(s), ")
                .append(online)
                .append(" online id(s), ")
                .append(c.countdowns())
                .append(" offline countdown(s), ")
                .append(c.eventsKept())
                .append(" event(s) kept, next event position ")
                .append(r.nextEventPosition())
                .append(", last message number ")
                .append(r.lastSeq())
                .append('\n');
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("redis", sb.toString());
        sb.setLength(0);
        listed.forEach((id, n) -> {
            Long at = offlineAt.get(id);
            sb.append(id)
                    .append(" => ")
                    .append(
                            at == null || n > 0
                                    ? "assigned (" + n + " listening cluster-wide, " + local.applyAsInt(id) + " here)"
                                    : "offline in " + Math.max(0, at - now) / 1000.0 + "s")
                    .append('\n');
        });
        sb.append(StatsText.more(online - listed.size()));
        sections.put("online_timers", sb.toString());
        return sections;
    }

    /** Counts keys by SCAN, a page per round trip, so Redis is never blocked for long. */
    private static Future<Long> countKeys(RedisLink commands, RedisKnobs knobs, String pattern) {
        // a Redis Cluster's keys are spread over its shards, and SCAN reads one: not counted there
        if (knobs.cluster()) return Future.succeededFuture(-1L);
        String literalPrefix = knobs.prefix().replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
        return scan(commands, "0", literalPrefix + pattern, 0);
    }

    private static Future<Long> scan(RedisLink commands, String cursor, String match, long sofar) {
        return commands.send(Request.cmd(Command.SCAN)
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(match)
                        .arg("COUNT")
                        .arg(1000))
                .map(Replies::page)
                .compose(page -> {
                    long n = sofar + page.items().size();
                    return page.last() ? Future.succeededFuture(n) : scan(commands, page.next(), match, n);
                });
    }
}
