package org.realplexor.engine.redis;

import java.net.URI;
import org.realplexor.config.Settings;

/**
 * The Redis engine's knobs, as Settings reads and checks them (config/Knobs). All are read once,
 * when the engine starts: a reload that changes them says they take effect only on restart.
 *
 * @param url       REDIS_URL, e.g. {@code redis://:secret@10.0.0.5:6379/0}
 * @param prefix    REDIS_PREFIX, put in front of every key and the channel: several clusters
 *                  may share one Redis under different prefixes
 * @param nodeTtlMs REDIS_NODE_TTL: a node that has not been heard from for this long (it died
 *                  without saying goodbye) has its listeners taken off the online counts
 * @param timeoutMs REDIS_TIMEOUT: a command not answered within this is failed, and the
 *                  connection dropped and made again
 */
record RedisKnobs(String url, String prefix, long nodeTtlMs, long timeoutMs) {

    static RedisKnobs from(Settings s) {
        String prefix = s.text("REDIS_PREFIX");
        return new RedisKnobs(s.redisUrl(), prefix.isEmpty() ? "realplexor:" : prefix,
                s.redisNodeTtlMs(), s.redisTimeoutMs());
    }

    /** How often a node heartbeats and runs the cluster's timers: well within its TTL. */
    long sweepMs() {
        return Math.max(20, Math.min(250, nodeTtlMs / 4));
    }

    /** The URL without a password, for logs and error answers. */
    String safeUrl() {
        try {
            URI u = URI.create(url);
            if (u.getUserInfo() == null) return url;
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(), null).toString();
        } catch (Exception e) {
            return "(REDIS_URL, unparsable)";
        }
    }
}
