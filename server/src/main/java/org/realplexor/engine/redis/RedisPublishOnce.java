package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.realplexor.config.Settings;
import org.realplexor.engine.OncePublished;
import org.realplexor.protocol.Cursor;

/**
 * A keyed publish in cluster mode: one call of the publish-once script (publish.lua wrapped by
 * {@code publish_once_head.lua} and {@code publish_once_tail.lua}), which stores the message and
 * sets {@code P:once:LOGIN:KEY} to its answer for the window, or, when that key is there, stores
 * nothing and returns the answer it holds. The key is a Redis string that expires with the
 * window, so the nodes share it and it needs no sweeping.
 */
final class RedisPublishOnce {
    static final String SCRIPT = Scripts.load("sort_key.lua", "clock.lua", "publish_once_head.lua", "publish.lua",
            "publish_once_tail.lua");
    private static final LuaScript PUBLISH_ONCE = new LuaScript(SCRIPT);

    /** What the script said: the answer, and the cursor it generated when it stored (else null). */
    record Result(OncePublished answer, Cursor generated) {
    }

    private RedisPublishOnce() {
    }

    static Future<Result> run(RedisLink link, String prefix, Settings settings, String key, long windowMs,
                              Map<String, Cursor> targets, Collection<String> limiters, byte[] data) {
        // publish.lua's arguments, as RedisEngine.publish gives them ...
        List<Object> args = new ArrayList<>(11 + 2 * targets.size() + limiters.size());
        args.add(prefix);
        args.add(Long.valueOf(settings.maxDataForId()));
        args.add(Long.valueOf(settings.cleanIdAfterMs()));
        args.add(Long.valueOf(targets.size()));
        StringBuilder template = new StringBuilder();
        targets.forEach((id, c) -> {
            args.add(id);
            args.add(c == null ? "" : c.text());
            template.append(id).append(' ').append(c == null ? "" : c.text()).append('\n');
        });
        args.add(Long.valueOf(limiters.size()));
        args.addAll(limiters);
        args.add(data);
        // ... then the head's three
        args.add(prefix + "once:" + key);
        args.add(Long.valueOf(windowMs));
        args.add(template.toString());
        return PUBLISH_ONCE.run(link, args).map(r -> decode(r, targets));
    }

    private static Result decode(Response r, Map<String, Cursor> targets) {
        String first = r.get(0).toString();
        String second = r.get(1).toString();
        if (first.equals("again")) return new Result(new OncePublished(answer(second), true), null);
        Cursor generated = second.isEmpty() ? null : Cursor.of(second);
        Map<String, Cursor> cursors = new LinkedHashMap<>();
        targets.forEach((id, c) -> cursors.put(id, c == null ? generated : c));
        return new Result(new OncePublished(cursors, false), generated);
    }

    /**
     * A remembered answer: the generated cursor ('' when every target gave one), then the
     * template's lines, whose empty cursors stand for the generated one.
     */
    static Map<String, Cursor> answer(String stored) {
        String[] lines = stored.split("\n");
        Cursor generated = lines[0].isEmpty() ? null : Cursor.of(lines[0]);
        Map<String, Cursor> cursors = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int sp = lines[i].lastIndexOf(' ');
            String c = lines[i].substring(sp + 1);
            cursors.put(lines[i].substring(0, sp), c.isEmpty() ? generated : Cursor.of(c));
        }
        return cursors;
    }
}
