package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads a whole hash by HSCAN, a page per round trip, instead of one HGETALL: Redis is never
 * blocked for long, and the Hub's thread (where the answers arrive) handles one page at a time
 * with deliveries in between. A field present throughout is seen at least once; one added or
 * removed meanwhile may or may not be, and a field may be seen twice (the caller keeps the last).
 */
final class HashPages {
    /** Fields asked for per page; Redis may return a few more or fewer. */
    static final int PAGE = 10_000;

    private HashPages() {}

    /** Calls {@code each} with every (field, value) of {@code key}; completes after the last page. */
    static Future<Void> scan(RedisLink commands, String key, BiConsumer<String, String> each) {
        return page(commands, key, "0", each);
    }

    private static Future<Void> page(RedisLink commands, String key, String cursor, BiConsumer<String, String> each) {
        return commands.send(Request.cmd(Command.HSCAN)
                        .arg(key)
                        .arg(cursor)
                        .arg("COUNT")
                        .arg(PAGE))
                .map(Replies::page)
                .compose(p -> {
                    List<String> kv = p.items();
                    for (int i = 0; i + 1 < kv.size(); i += 2) each.accept(kv.get(i), kv.get(i + 1));
                    return p.last() ? Future.succeededFuture() : page(commands, key, p.next(), each);
                });
    }
}
