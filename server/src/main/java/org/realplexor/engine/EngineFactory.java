package org.realplexor.engine;

import io.vertx.core.Context;
import org.realplexor.config.Settings;

/**
 * Makes the engine for a server. {@code hubContext} is the Hub's event-loop context: an engine
 * that does I/O creates its clients on it (Vert.x then completes their futures there), so the
 * Hub's state stays on one thread.
 */
@FunctionalInterface
public interface EngineFactory {
    Engine create(Context hubContext, Settings settings) throws Exception;

    /**
     * ENGINE=local (the embedded default) or redis (nodes sharing Redis); an unknown engine or a
     * Redis knob that is wrong (REDIS_MODE, REDIS_URL, ...) throws IllegalArgumentException saying so.
     */
    static EngineFactory forSettings(Settings settings) {
        String name = settings.engine();
        if (name.equals("local")) {
            return (ctx, s) -> s.dataDir() != null
                    ? org.realplexor.engine.journal.JournaledEngines.open(ctx, s)
                    : new LocalEngine(s, task -> ctx.runOnContext(v -> task.run()));
        }
        if (name.equals("redis")) {
            org.realplexor.engine.redis.RedisEngine.check(settings);
            return (ctx, s) -> new org.realplexor.engine.redis.RedisEngine(ctx, s);
        }
        throw new IllegalArgumentException("ENGINE: unknown engine '" + name + "' (this build has: local, redis)");
    }
}
