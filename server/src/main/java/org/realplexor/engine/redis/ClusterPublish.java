package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.realplexor.config.Settings;
import org.realplexor.protocol.Cursor;

/**
 * A publish on a Redis Cluster (REDIS_MODE=cluster). An id's keys share its slot (hash tag
 * {ID}), and one script may touch one slot only, so a publish is one call on the control slot
 * ({@code cluster_clock.lua}: the epoch, the message's one generated cursor from the clock every
 * node shares, its number), then one call per target id ({@code cluster_part.lua}), all sent at
 * once. Each part stores a copy of the whole message (every target's cursor) on its id's slot and
 * puts it on the bus; nodes hand the first copy to arrive and drop the others by number (see
 * {@link MessageFeed}), so a listener of several of the ids gets the message once.
 *
 * <p>The publish succeeds when every part did; a part whose shard is down fails it (the IN line
 * answers 503), while the parts already stored stay stored and delivered.
 *
 * <p>Replica acknowledgements (REDIS_REPLICA_ACKS): each part whose shard master has connected
 * replicas is followed by {@code WAIT} on that master's connection, the one its script ran on, so
 * a shard failover cannot lose a publish answered 200. WAIT cannot run inside a script, and sent
 * blind beside it a WAIT on a master without replicas would hold every publish there for the whole
 * REDIS_REPLICA_ACK_TIMEOUT; so it goes once the part's reply has said how many replicas are
 * connected (one more round trip, as in sentinel mode). The cluster client sends a keyless command
 * to any node, so the WAIT travels in a batch behind a cheap read of the part's own key, which
 * the client routes to that key's master (a batch is routed by its keyed commands and sent whole
 * on that node's one connection). A master with no replica: the publish goes on, counted once and
 * warned about; fewer acknowledgements than asked within the timeout: 503, once.
 */
final class ClusterPublish {
    private static final LuaScript CLOCK = new LuaScript(Scripts.CLUSTER_CLOCK);
    private static final LuaScript PART = new LuaScript(Scripts.CLUSTER_PART);
    private static final String BUS = "bus";

    /** What was stored: the number, generated cursor, epoch; the cursor each target got. */
    record Stored(Replies.Published published, Map<String, Cursor> cursors) {}

    private ClusterPublish() {}

    static Future<Stored> run(
            RedisLink commands,
            RedisKnobs knobs,
            Settings settings,
            ReplicaAcks acks,
            Map<String, Cursor> targets,
            Collection<String> limiters,
            byte[] data) {
        String control = knobs.controlPrefix();
        boolean generate = false;
        for (Cursor c : targets.values()) generate |= c == null;
        return CLOCK.run(commands, List.of(control + "clock"), List.of(control, generate ? "1" : "0"))
                .compose(r -> {
                    String seq = r.get(0).toString();
                    String gen = r.get(1).toString();
                    String epoch = r.get(2).toString();
                    List<String> ids = new ArrayList<>(targets.keySet());
                    List<String> cursors = new ArrayList<>(ids.size());
                    for (String id : ids) {
                        Cursor c = targets.get(id);
                        cursors.add(c == null ? gen : c.text());
                    }
                    byte[] tail = tail(limiters, data);
                    List<Future<PartReply>> parts = new ArrayList<>(ids.size());
                    Long refuseBelow = acks.refuseBelow();
                    for (int i = 0; i < ids.size(); i++) {
                        String id = ids.get(i);
                        String base = knobs.idPrefix(id);
                        Cursor given = targets.get(id);
                        List<Object> args = new ArrayList<>(11);
                        args.add(base);
                        args.add(seq);
                        args.add(gen);
                        args.add(epoch);
                        args.add(id);
                        args.add(given == null ? "" : given.text());
                        args.add(Long.valueOf(settings.maxDataForId()));
                        args.add(Long.valueOf(settings.cleanIdAfterMs()));
                        args.add(knobs.prefix() + BUS);
                        args.add(before(ids, cursors, i));
                        args.add(after(ids, cursors, i, tail));
                        args.add(refuseBelow);
                        parts.add(PART.run(
                                        commands,
                                        List.of(base + "q", base + "qt", base + "lc", base + "m:" + seq),
                                        args)
                                .compose(p -> acknowledged(
                                        commands,
                                        acks,
                                        base + "q",
                                        new PartReply(
                                                id,
                                                p.get(0).toString(),
                                                p.get(1).toInteger(),
                                                0,
                                                0))));
                    }
                    return Future.all(parts).compose(all -> {
                        Map<String, Cursor> stored = new LinkedHashMap<>();
                        int replicas = Integer.MAX_VALUE;
                        PartReply unacked = null;
                        for (int i = 0; i < parts.size(); i++) {
                            PartReply p = all.resultAt(i);
                            stored.put(p.id(), Cursor.of(p.cursor()));
                            replicas = Math.min(replicas, p.replicas());
                            if (p.acked() < p.asked()) unacked = p;
                        }
                        if (acks.fewerThanAsked(replicas))
                            acks.noteUnreplicated(replicas, "a Redis Cluster shard's master");
                        if (unacked != null) {
                            return acks.checked(
                                            unacked.acked(),
                                            unacked.asked(),
                                            "the master of " + unacked.id() + "'s shard")
                                    .map(v -> (Stored) null);
                        }
                        return Future.succeededFuture(new Stored(
                                new Replies.Published(
                                        Long.parseLong(seq), gen.isEmpty() ? null : Cursor.of(gen), epoch, replicas),
                                stored));
                    });
                });
    }

    /**
     * The part as stored and, when its shard master has replicas to wait for, how many
     * acknowledged it: {@code WAIT} behind a read of {@code key}, so it reaches that master.
     */
    private static Future<PartReply> acknowledged(RedisLink commands, ReplicaAcks acks, String key, PartReply p) {
        int n = acks.toWaitFor(p.replicas());
        if (n == 0) return Future.succeededFuture(p);
        return commands.batch(List.of(Request.cmd(Command.EXISTS).arg(key), acks.waitRequest(n)))
                .map(r -> new PartReply(
                        p.id(), p.cursor(), p.replicas(), n, r.get(1).toLong()));
    }

    /** One id's part: its cursor as stored, its shard master's connected replicas, acknowledgements asked and given. */
    private record PartReply(String id, String cursor, int replicas, int asked, long acked) {}

    /** The pairs line up to target i's cursor: "ID CURSOR ... ID ". */
    private static String before(List<String> ids, List<String> cursors, int i) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < i; j++)
            sb.append(ids.get(j)).append(' ').append(cursors.get(j)).append(' ');
        return sb.append(ids.get(i)).append(' ').toString();
    }

    /** The blob after target i's cursor: the other pairs, the limiters line, the data. */
    private static byte[] after(List<String> ids, List<String> cursors, int i, byte[] tail) {
        StringBuilder sb = new StringBuilder();
        for (int j = i + 1; j < ids.size(); j++)
            sb.append(' ').append(ids.get(j)).append(' ').append(cursors.get(j));
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /** "\nLIMITERS\nDATA". */
    private static byte[] tail(Collection<String> limiters, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        out.write('\n');
        out.writeBytes(String.join(" ", limiters).getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
        out.writeBytes(data);
        return out.toByteArray();
    }
}
