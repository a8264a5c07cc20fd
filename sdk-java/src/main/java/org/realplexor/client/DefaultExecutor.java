package org.realplexor.client;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the asynchronous variants when the user gives no executor. Each call blocks a thread
 * on a socket, so the common fork-join pool (sized for CPU work) is the wrong place; daemon
 * threads that die when idle need no shutdown from the user.
 */
final class DefaultExecutor {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private static final class Holder {
        static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "realplexor-client-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private DefaultExecutor() {}

    static Executor get() {
        return Holder.POOL;
    }
}
