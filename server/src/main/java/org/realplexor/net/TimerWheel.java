package org.realplexor.net;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The timer wheel of one server's per-connection deadlines (identifier not yet read, IN_TIMEOUT,
 * SEND_TIMEOUT, the grace period of a graceful close, the release of a replaced TLS context; a
 * held poll's WAIT_TIMEOUT is the Hub's PollDeadlines). A fan-out starts and ends thousands of
 * connections at once; a wheel entry costs O(1) to add and cancel, where a task in an event
 * loop's scheduler queue costs a heap operation, and a cancelled entry is dropped at once
 * instead of holding its connection until the deadline. Callbacks run on the wheel's thread and
 * must hop to their owner's event loop before touching its state.
 *
 * <p>One per server (its thread starts with the first deadline), reached by connections through
 * their context; {@link #close} stops it with the server.
 */
public final class TimerWheel implements AutoCloseable {
    private final HashedWheelTimer timer =
            new HashedWheelTimer(new DefaultThreadFactory("realplexor-timer", true), 50, TimeUnit.MILLISECONDS, 1024);

    public Timeout after(long millis, Runnable task) {
        return timer.newTimeout(t -> task.run(), millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the wheel's thread; deadlines not yet due are dropped (the server's connections are closed). */
    @Override
    public void close() {
        timer.stop();
    }
}
