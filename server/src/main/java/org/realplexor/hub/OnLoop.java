package org.realplexor.hub;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/** Runs work on the one thread that owns some state, from any thread. */
final class OnLoop {
    private OnLoop() {}

    /** Now if already on {@code loop}, else queued to it. */
    static void run(EventExecutor loop, Runnable r) {
        if (loop.inEventLoop()) r.run();
        else loop.execute(r);
    }

    /** {@code body}'s future, run on {@code loop}; a throw there fails it instead of losing it. */
    static <T> Future<T> call(EventExecutor loop, Supplier<Future<T>> body) {
        Promise<T> p = Promise.promise();
        run(loop, () -> {
            try {
                body.get().onComplete(p);
            } catch (RuntimeException | LinkageError e) {
                // A LinkageError too (a class that cannot be loaded, say at the open-files
                // limit): the IN client then gets an error answer instead of none.
                p.fail(e);
            }
        });
        return p.future();
    }
}
