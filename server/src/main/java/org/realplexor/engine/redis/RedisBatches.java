package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.realplexor.config.Settings;
import org.realplexor.engine.BatchStore.Entry;
import org.realplexor.engine.OncePublished;

/**
 * A batched publish on Redis. Standalone and Sentinel: one round trip, the publish (or
 * publish-once) script per message, pipelined, each call atomic on its own. The scripts are
 * loaded first in the same pipeline, so no call in it can meet NOSCRIPT (after which it could not
 * be told which calls had stored). Each reply goes through what a single publish does (epoch,
 * cursor), and one replica acknowledgement covers the whole batch, as Redis's WAIT covers every
 * write before it. On a Redis Cluster a message spans slots, so the batch is the messages one
 * after another, each through the engine's own publish. Used on the Hub's thread only.
 */
final class RedisBatches {
    private static final LuaScript PUBLISH = new LuaScript(Scripts.PUBLISH);

    private final RedisEngine engine;
    private final RedisLink commands;
    private final RedisKnobs knobs;
    private final ReplicaAcks acks;
    private final Consumer<Replies.Published> noted;

    /** @param noted what the engine notes of every stored message (its epoch and generated cursor) */
    RedisBatches(
            RedisEngine engine,
            RedisLink commands,
            RedisKnobs knobs,
            ReplicaAcks acks,
            Consumer<Replies.Published> noted) {
        this.engine = engine;
        this.commands = commands;
        this.knobs = knobs;
        this.acks = acks;
        this.noted = noted;
    }

    Future<List<OncePublished>> publish(List<Entry> entries, long windowMs, Settings settings) {
        if (knobs.cluster()) return inTurn(entries, 0, windowMs, new ArrayList<>(entries.size()));
        List<Request> requests = new ArrayList<>(entries.size() + 2);
        requests.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(Scripts.PUBLISH));
        boolean keyed = entries.stream().anyMatch(e -> e.key() != null);
        if (keyed) requests.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(RedisPublishOnce.SCRIPT));
        int first = requests.size();
        for (Entry e : entries) {
            List<Object> args = PublishArgs.of(
                    knobs.prefix(),
                    settings,
                    e.targets(),
                    e.limiters(),
                    e.data(),
                    acks.refuseBelow(),
                    e.key() == null ? 0 : 3);
            requests.add(
                    e.key() == null
                            ? PUBLISH.call(args)
                            : RedisPublishOnce.request(knobs.prefix(), e.key(), windowMs, e.targets(), args));
        }
        return commands.batch(requests).compose(replies -> {
            List<OncePublished> out = new ArrayList<>(entries.size());
            int replicas = Integer.MAX_VALUE;
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                Response r = replies.get(first + i);
                Replies.Published p;
                if (e.key() != null) {
                    RedisPublishOnce.Result once = RedisPublishOnce.decode(r);
                    if (once.replay() != null) {
                        out.add(once.replay());
                        continue;
                    }
                    p = once.fresh();
                } else {
                    p = Replies.published(r);
                }
                noted.accept(p);
                replicas = Math.min(replicas, p.replicas());
                out.add(RedisPublishOnce.fresh(e.targets(), p.generated()));
            }
            if (replicas == Integer.MAX_VALUE) return Future.succeededFuture(out); // all replays: nothing written
            return acks.await(commands, replicas).map(v -> out);
        });
    }

    private Future<List<OncePublished>> inTurn(List<Entry> entries, int from, long windowMs, List<OncePublished> out) {
        if (from == entries.size()) return Future.succeededFuture(out);
        Entry e = entries.get(from);
        Future<OncePublished> one = e.key() != null
                ? engine.publishOnce(e.key(), windowMs, e.targets(), e.limiters(), e.data())
                : engine.publish(e.targets(), e.limiters(), e.data())
                        .map(m -> new OncePublished(RedisPublishOnce.inOrder(e.targets(), m), false));
        return one.compose(o -> {
            out.add(o);
            return inTurn(entries, from + 1, windowMs, out);
        });
    }
}
