package org.realplexor.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A point in time every wait of one scenario is bounded by, so each scenario stops by itself. */
final class Deadline {
    private final long at;

    private Deadline(long at) {
        this.at = at;
    }

    static Deadline in(double seconds) {
        return new Deadline(System.nanoTime() + (long) (seconds * 1e9));
    }

    long remainingNanos() {
        return Math.max(0, at - System.nanoTime());
    }

    boolean expired() {
        return remainingNanos() == 0;
    }

    /** The earlier of this deadline and {@code seconds} from now. */
    Deadline within(double seconds) {
        return new Deadline(Math.min(at, System.nanoTime() + (long) (seconds * 1e9)));
    }

    boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(remainingNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits for a condition that is only observable by polling (state spread over many
     * connections on several event loops); checks every few milliseconds.
     */
    boolean awaitCondition(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (expired()) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
