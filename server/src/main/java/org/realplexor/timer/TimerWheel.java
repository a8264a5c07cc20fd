package org.realplexor.timer;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One timer wheel for the per-connection deadlines (identifier not yet read, IN_TIMEOUT, the
 * grace period of a graceful close; a held poll's WAIT_TIMEOUT is the Hub's PollDeadlines). A fan-out starts and ends thousands of
 * connections at once; a wheel entry costs O(1) to add and cancel, where a task in an event
 * loop's scheduler queue costs a heap operation, and a cancelled entry is dropped at once
 * instead of holding its connection until the deadline. Callbacks run on the wheel's thread and
 * must hop to their owner's event loop before touching its state.
 */
public final class TimerWheel {
    private static final HashedWheelTimer TIMER = new HashedWheelTimer(
            new DefaultThreadFactory("realplexor-timer", true), 50, TimeUnit.MILLISECONDS, 1024);

    private TimerWheel() {
    }

    public static Timeout after(long millis, Runnable task) {
        return TIMER.newTimeout(t -> task.run(), millis, TimeUnit.MILLISECONDS);
    }
}
