package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for an observable condition instead of sleeping a guessed time. */
final class Await {
    private Await() {}

    static <T> T until(String what, Supplier<T> probe, Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what + "; last seen: "
                        + (last instanceof String s ? Bytes.visible(Bytes.utf8(s)) : String.valueOf(last)));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
            last = probe.get();
        }
        return last;
    }

    static <T> T until(String what, Supplier<T> probe, Predicate<T> done) {
        return until(what, probe, done, Duration.ofSeconds(5));
    }
}
