package org.realplexor.engine.redis;

import io.vertx.core.Future;
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
 */
final class ClusterPublish {
    private static final LuaScript CLOCK = new LuaScript(Scripts.CLUSTER_CLOCK);
    private static final LuaScript PART = new LuaScript(Scripts.CLUSTER_PART);
    private static final String BUS = "bus";

    /** What was stored: the number, generated cursor, epoch; the cursor each target got. */
    record Stored(Replies.Published published, Map<String, Cursor> cursors) {
    }

    private ClusterPublish() {
    }

    static Future<Stored> run(RedisLink commands, RedisKnobs knobs, Settings settings, Map<String, Cursor> targets,
                              Collection<String> limiters, byte[] data) {
        String control = knobs.controlPrefix();
        boolean generate = false;
        for (Cursor c : targets.values()) generate |= c == null;
        return CLOCK.run(commands, List.of(control + "clock"), List.of(control, generate ? "1" : "0")).compose(r -> {
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
                parts.add(PART.run(commands, List.of(base + "q", base + "qt", base + "lc", base + "m:" + seq), args)
                        .map(p -> new PartReply(id, p.get(0).toString(), p.get(1).toInteger())));
            }
            return Future.all(parts).map(all -> {
                Map<String, Cursor> stored = new LinkedHashMap<>();
                int replicas = Integer.MAX_VALUE;
                for (int i = 0; i < parts.size(); i++) {
                    PartReply p = all.resultAt(i);
                    stored.put(p.id(), Cursor.of(p.cursor()));
                    replicas = Math.min(replicas, p.replicas());
                }
                return new Stored(new Replies.Published(Long.parseLong(seq), gen.isEmpty() ? null : Cursor.of(gen),
                        epoch, replicas), stored);
            });
        });
    }

    private record PartReply(String id, String cursor, int replicas) {
    }

    /** The pairs line up to target i's cursor: "ID CURSOR ... ID ". */
    private static String before(List<String> ids, List<String> cursors, int i) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < i; j++) sb.append(ids.get(j)).append(' ').append(cursors.get(j)).append(' ');
        return sb.append(ids.get(i)).append(' ').toString();
    }

    /** The blob after target i's cursor: the other pairs, the limiters line, the data. */
    private static byte[] after(List<String> ids, List<String> cursors, int i, byte[] tail) {
        StringBuilder sb = new StringBuilder();
        for (int j = i + 1; j < ids.size(); j++) sb.append(' ').append(ids.get(j)).append(' ').append(cursors.get(j));
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
