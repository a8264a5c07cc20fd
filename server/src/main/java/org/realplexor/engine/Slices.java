package org.realplexor.engine;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Walks a snapshot of a table's keys on the Hub's thread a slice at a time, each later slice a
 * task of its own, so messages are delivered between slices however big the table is (ONLINE and
 * STATS over millions of ids). Taking the snapshot copies references only; whatever each key
 * needs from the live table is looked up when its slice runs, so the table may change meanwhile.
 */
public final class Slices {
    /** Keys per task: a few milliseconds of work. */
    public static final int SIZE = 10_000;

    private Slices() {}

    /** Calls {@code each} with every key, the first slice now; completes on the loop after the last. */
    public static Future<Void> forEach(Executor loop, String[] keys, Consumer<String> each) {
        Promise<Void> done = Promise.promise();
        slice(loop, keys, 0, each, done);
        return done.future();
    }

    private static void slice(Executor loop, String[] keys, int from, Consumer<String> each, Promise<Void> done) {
        int to = Math.min(keys.length, from + SIZE);
        try {
            for (int i = from; i < to; i++) each.accept(keys[i]);
        } catch (RuntimeException e) {
            done.fail(e);
            return;
        }
        if (to == keys.length) done.complete();
        else loop.execute(() -> slice(loop, keys, to, each, done));
    }
}
