package org.realplexor.client;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition the server offers no notification for (presence timers). */
final class Await {

    private Await() {}

    /** Calls {@code probe} until its value satisfies {@code done}; returns that value. */
    static <T> T until(Supplier<T> probe, Predicate<T> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout + "; last value: " + value);
            }
            Thread.sleep(25); // polling interval, not synchronisation: the loop checks the condition
            value = probe.get();
        }
        return value;
    }
}
