package org.realplexor.hub;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * When a drain ends each held connection: the window cut in as many equal slots, one each in a
 * shuffled order, at a random point of its slot. Clients then reconnect to the other nodes
 * spread out, not all in the same instant.
 */
final class DrainSpread {
    /** How often a drain ends the connections that are due. */
    private static final long STEP_MILLIS = 10;

    private DrainSpread() {}

    /**
     * Hands each of {@code held} to {@code end} at its moment, on {@code loop} (the caller's own,
     * so {@code end} runs where the caller's state lives); done once the last one was.
     */
    static <T> Future<Void> run(EventExecutor loop, List<T> held, long spreadMillis, Consumer<T> end) {
        long[] due = shuffle(held, spreadMillis, ThreadLocalRandom.current());
        Promise<Void> drained = Promise.promise();
        step(loop, held, due, 0, System.nanoTime(), end, drained);
        return drained.future();
    }

    /** Ends those whose moment has come, from {@code next} on; again a step later until none is left. */
    private static <T> void step(
            EventExecutor loop,
            List<T> held,
            long[] due,
            int next,
            long startNanos,
            Consumer<T> end,
            Promise<Void> drained) {
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
        int i = next;
        for (; i < held.size() && due[i] <= elapsed; i++) end.accept(held.get(i));
        if (i >= held.size()) {
            drained.complete();
            return;
        }
        int from = i;
        loop.schedule(() -> step(loop, held, due, from, startNanos, end, drained), STEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Shuffles {@code held} in place and returns, for each of its places, the milliseconds after
     * the drain's start at which that connection ends: ascending, each in its own slot of
     * {@code [0, spreadMillis)} (all 0 for no window).
     */
    static <T> long[] shuffle(List<T> held, long spreadMillis, Random random) {
        Collections.shuffle(held, random);
        long[] due = new long[held.size()];
        for (int i = 0; i < due.length; i++) {
            due[i] = (long) (spreadMillis * ((i + random.nextDouble()) / due.length));
        }
        return due;
    }
}
