package org.realplexor.net;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Runs credential checks off the event loops. A bcrypt or SHA-crypt hash costs milliseconds to
 * hundreds of milliseconds by design, and a flood of wrong passwords (never cached) on an event
 * loop stalled every WAIT connection it serves. One thread does them, so a flood takes at most
 * one core; past a bounded backlog a check is refused at once instead of queuing without end.
 */
final class PasswordChecks {
    /** Checks waiting beyond the one running: a burst of honest first logins fits. */
    private static final int BACKLOG = 256;

    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(BACKLOG), new DefaultThreadFactory("realplexor-passwords", true));

    private PasswordChecks() {
    }

    /**
     * Runs {@code auth.denial(login, password)} on the checking thread; {@code done} gets its
     * result there (hop back to the connection's loop before touching its state).
     *
     * @return false when the backlog is full: nothing will be called
     */
    static boolean submit(Authenticator auth, String login, String password, Consumer<String> done) {
        try {
            POOL.execute(() -> done.accept(auth.denial(login, password)));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
