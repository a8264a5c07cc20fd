package org.realplexor.engine.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One Lua script, called by its SHA-1 (EVALSHA) so a call carries only its arguments. Redis
 * forgets scripts on restart or SCRIPT FLUSH; the NOSCRIPT answer is then followed by one EVAL,
 * which also caches the script again.
 */
final class LuaScript {
    private final String source;
    private final String sha;

    LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Runs the script with no KEYS and {@code args} as ARGV (String, byte[] or Long each). */
    Future<Response> run(RedisLink link, List<Object> args) {
        return run(link, List.of(), args);
    }

    /**
     * With {@code keys} as KEYS: on a Redis Cluster the client sends the call to the master of
     * their slot (they must share one) and follows MOVED / ASK.
     */
    Future<Response> run(RedisLink link, List<String> keys, List<Object> args) {
        return link.send(request(Command.EVALSHA, sha, keys, args)).recover(e -> {
            if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) return Future.failedFuture(e);
            return link.send(request(Command.EVAL, source, keys, args));
        });
    }

    /** The call with no KEYS as one request (EVALSHA), for a batch whose first request loads the script. */
    Request call(List<Object> args) {
        return request(Command.EVALSHA, sha, List.of(), args);
    }

    private static Request request(Command command, String script, List<String> keys, List<Object> args) {
        Request r = Request.cmd(command).arg(script).arg(keys.size());
        for (String k : keys) r.arg(k);
        for (Object a : args) {
            if (a instanceof byte[] b) r.arg(b);
            else if (a instanceof Long l) r.arg(l.longValue());
            else r.arg(a.toString());
        }
        return r;
    }

    private static String sha1(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }
}
