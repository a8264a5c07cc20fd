package org.realplexor.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;
import org.realplexor.engine.redis.RedisEngine;

/** One in-process server node on the Redis engine, on ephemeral loopback ports. */
final class Node implements AutoCloseable {
    final RealplexorServer server;
    final RedisEngine engine;

    private Node(RealplexorServer server, RedisEngine engine) {
        this.server = server;
        this.engine = engine;
    }

    /** {@code knobs}: the cluster's shared knobs (REDIS_URL, REDIS_PREFIX, timeouts, ...). */
    static Node start(Map<String, Object> knobs) {
        Map<String, Object> all = new LinkedHashMap<>(knobs);
        all.put("WAIT_ADDR", "127.0.0.1:0");
        all.put("IN_ADDR", "127.0.0.1:0");
        all.put("USERS_FILE", "");
        all.putIfAbsent("VERBOSITY", "1");
        AtomicReference<RedisEngine> engine = new AtomicReference<>();
        try {
            RealplexorServer s =
                    RealplexorServer.start(Settings.from(all, Path.of("").toAbsolutePath()), (ctx, st) -> {
                        RedisEngine e = new RedisEngine(ctx, st);
                        engine.set(e);
                        return e;
                    });
            return new Node(s, engine.get());
        } catch (Exception e) {
            throw new IllegalStateException("starting a node", e);
        }
    }

    int waitPort() {
        return server.waitPort();
    }

    int inPort() {
        return server.inPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
