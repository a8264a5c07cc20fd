package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.realplexor.engine.OncePublished;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/**
 * A keyed publish in cluster mode: one call of the publish-once script (publish.lua wrapped by
 * {@code publish_once_head.lua} and {@code publish_once_tail.lua}), which stores the message and
 * sets {@code P:once:LOGIN:KEY} to its answer for the window, or, when that key is there, stores
 * nothing and returns the answer it holds. The key is a Redis string that expires with the
 * window, so the nodes share it and it needs no sweeping.
 */
final class RedisPublishOnce {
    static final String SCRIPT = Scripts.load(
            "sort_key.lua", "clock.lua", "epoch.lua", "publish_once_head.lua", "publish.lua", "publish_once_tail.lua");
    private static final LuaScript PUBLISH_ONCE = new LuaScript(SCRIPT);

    /** What the script said: the key's first answer (nothing stored now), or publish.lua's reply. */
    record Result(OncePublished replay, Replies.Published fresh) {}

    private RedisPublishOnce() {}

    /** @param args publish.lua's arguments ({@link PublishArgs}), to which the head's three are added */
    static Future<Result> run(
            RedisLink link, String prefix, String key, long windowMs, Map<String, Cursor> targets, List<Object> args) {
        return PUBLISH_ONCE
                .run(link, withKey(prefix, key, windowMs, targets, args))
                .map(RedisPublishOnce::decode);
    }

    /** The same call as one request of a batch (whose first requests load {@link #SCRIPT}). */
    static Request request(String prefix, String key, long windowMs, Map<String, Cursor> targets, List<Object> args) {
        return PUBLISH_ONCE.call(withKey(prefix, key, windowMs, targets, args));
    }

    static Result decode(Response r) {
        return r.get(0).toString().equals("again")
                ? new Result(new OncePublished(answer(r.get(1).toString()), true), null)
                : new Result(null, Replies.published(r));
    }

    private static List<Object> withKey(
            String prefix, String key, long windowMs, Map<String, Cursor> targets, List<Object> args) {
        StringBuilder template = new StringBuilder();
        targets.forEach((id, c) -> template.append(id)
                .append(' ')
                .append(c == null ? "" : c.text())
                .append('\n'));
        args.add(prefix + "once:" + key);
        args.add(Long.valueOf(windowMs));
        args.add(template.toString());
        return args;
    }

    /**
     * REDIS_MODE=cluster: a publish spans several slots, so the key cannot be checked in the same
     * atomic call. It lives on the control slot ({@code P{ctl}:once:LOGIN:KEY}): set NX to
     * "pending" (for twice REDIS_TIMEOUT, so a node that dies meanwhile frees it soon), then the
     * publish, then the answer for the window; a failed publish deletes it. A repeat meanwhile
     * gets 503 saying the first is still being stored; one after gets the first's answer.
     */
    static Future<OncePublished> runCluster(
            RedisLink link,
            RedisKnobs knobs,
            String key,
            long windowMs,
            Supplier<Future<Map<String, Cursor>>> publish) {
        String k = knobs.controlPrefix() + "once:" + key;
        return link.send(Request.cmd(Command.SET)
                        .arg(k)
                        .arg(PENDING)
                        .arg("NX")
                        .arg("GET")
                        .arg("PX")
                        .arg(2 * knobs.timeoutMs()))
                .compose(prior -> {
                    if (prior != null && prior.toString().equals(PENDING)) {
                        return Future.failedFuture(new RedisLink.RedisDown(
                                "a publish with this idempotency key is " + "still being stored; retry"));
                    }
                    if (prior != null) return Future.succeededFuture(new OncePublished(answer(prior.toString()), true));
                    return publish.get()
                            .compose(
                                    cursors -> {
                                        StringBuilder answer = new StringBuilder("\n");
                                        cursors.forEach((id, c) -> answer.append(id)
                                                .append(' ')
                                                .append(c.text())
                                                .append('\n'));
                                        return link.send(Request.cmd(Command.SET)
                                                        .arg(k)
                                                        .arg(answer.toString())
                                                        .arg("PX")
                                                        .arg(windowMs))
                                                .map(v -> new OncePublished(cursors, false));
                                    },
                                    e -> link.send(Request.cmd(Command.DEL).arg(k))
                                            .transform(v -> Future.failedFuture(e)));
                });
    }

    private static final String PENDING = "pending";

    /** A stored message's cursors in the order its targets were given (the IN answer's order). */
    static Map<String, Cursor> inOrder(Map<String, Cursor> targets, StoredMessage m) {
        Map<String, Cursor> cursors = new LinkedHashMap<>();
        targets.keySet().forEach(id -> cursors.put(id, m.cursors().get(id)));
        return cursors;
    }

    /** The answer of a publish stored now: each target's given cursor, or the generated one. */
    static OncePublished fresh(Map<String, Cursor> targets, Cursor generated) {
        Map<String, Cursor> cursors = new LinkedHashMap<>();
        targets.forEach((id, c) -> cursors.put(id, c == null ? generated : c));
        return new OncePublished(cursors, false);
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
