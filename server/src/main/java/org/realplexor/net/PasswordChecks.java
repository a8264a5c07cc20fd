package org.realplexor.net;

import io.netty.channel.Channel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.realplexor.auth.AuthResult;
import org.realplexor.auth.Authenticator;
import org.realplexor.auth.LoginGuard;
import org.realplexor.protocol.InAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a login's password without letting hashing stall the event loops or pile up.
 * A bcrypt or SHA-crypt hash costs milliseconds to hundreds of milliseconds by design, so:
 * <ul>
 * <li>what needs no hash (a password that verified before, an unknown login, a login or address
 * out of failures: see {@link LoginGuard}) is answered at once on the loop, so a known publisher
 * never queues behind guesses;</li>
 * <li>the rest goes to a small pool (at most two threads, so a flood takes at most two cores)
 * with a bounded queue; past it a check is refused at once (503) instead of queuing without end.
 * Checks that will almost surely be answered without a hash (their login or address has more
 * checks waiting than failures left) take no place among the {@link #BACKLOG} that may hash,
 * so guesses from one source cannot fill it;</li>
 * <li>a queued check whose connection closes is taken out of the queue, and one whose connection
 * is gone when its turn comes is dropped: nobody would read its answer.</li>
 * </ul>
 *
 * <p>One per server, reached by IN connections through their context and kept across reloads
 * (its threads start with the first check that needs a hash); {@link #close} stops it with the server.
 */
public final class PasswordChecks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PasswordChecks.class);

    /** Checks that may hash, waiting beyond the running ones: a burst of honest first logins fits. */
    private static final int BACKLOG = 256;
    /**
     * All waiting checks. Those beyond {@link #BACKLOG} are for a login or address with more
     * checks waiting than failures left (see {@link LoginGuard#queued}): answered without a
     * hash when their turn comes, they cost a place in the queue, not a thread's time.
     */
    private static final int QUEUE = 4096;

    private static final int THREADS =
            Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private static final byte[] BUSY = InAnswer.answer(
            "503 Service Unavailable", "too many password checks are waiting; nothing was published, try again\n");

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            new DefaultThreadFactory("realplexor-passwords", true));
    private final Semaphore hashSlots = new Semaphore(BACKLOG + THREADS);

    /** What became of a check as it was asked for. */
    record Verdict(boolean pending, byte[] answer) {
        static final Verdict GRANTED = new Verdict(false, null);
        static final Verdict PENDING = new Verdict(true, null);
    }

    /** Stops the checking threads; checks still waiting are dropped (the server's connections are closed). */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /**
     * Checks {@code login}'s password for the request on {@code channel}.
     *
     * @param done called on a checking thread (hop back to the connection's loop before touching
     *             its state) with null when granted, else the answer that ends the request; only
     *             for a {@link Verdict#pending() pending} verdict, and not at all when the
     *             connection closes before its check runs
     * @return granted (go on at once), pending ({@code done} will say), or the answer to end with
     */
    Verdict check(Authenticator auth, Channel channel, String login, String password, Consumer<byte[]> done) {
        LoginGuard guard = auth.guard();
        String address = addressOf(channel.remoteAddress());
        if (guard != null) {
            AuthResult now = guard.atOnce(login, password, address);
            if (now != null) return now.granted() ? Verdict.GRANTED : new Verdict(false, answerTo(now));
        }
        boolean mayHash = guard == null || guard.queued(login, address);
        Check task = new Check(auth, guard, channel, login, password, address, mayHash, done);
        if (mayHash && !hashSlots.tryAcquire()) {
            task.release();
            return new Verdict(false, BUSY);
        }
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            task.release();
            return new Verdict(false, BUSY);
        }
        // A client that gave up frees its place in the queue at once (runs now if already closed).
        channel.closeFuture().addListener(f -> {
            if (pool.remove(task)) task.release();
        });
        return Verdict.PENDING;
    }

    /** One check waiting for, or running on, a checking thread. */
    private final class Check implements Runnable {
        private final Authenticator auth;
        private final LoginGuard guard;
        private final Channel channel;
        private final String login;
        private final String password;
        private final String address;
        private final boolean mayHash;
        private final Consumer<byte[]> done;
        private final AtomicBoolean released = new AtomicBoolean();

        Check(
                Authenticator auth,
                LoginGuard guard,
                Channel channel,
                String login,
                String password,
                String address,
                boolean mayHash,
                Consumer<byte[]> done) {
            this.auth = auth;
            this.guard = guard;
            this.channel = channel;
            this.login = login;
            this.password = password;
            this.address = address;
            this.mayHash = mayHash;
            this.done = done;
        }

        @Override
        public void run() {
            byte[] answer;
            try {
                if (!channel.isActive()) return; // nobody would read the answer: do not hash for it
                answer = guard != null
                        ? answerTo(guard.hashed(login, password, address))
                        : denied(auth.denial(login, password));
            } catch (RuntimeException e) {
                log.warn("password check for login {} failed: {}", login, e.toString());
                answer = InAnswer.answer(
                        "503 Service Unavailable", "the password check failed; nothing was published, try again\n");
            } finally {
                release();
            }
            done.accept(answer);
        }

        /** Gives back its slot and its count against the login and address, once. */
        void release() {
            if (!released.compareAndSet(false, true)) return;
            if (mayHash) hashSlots.release();
            if (guard != null) guard.unqueued(login, address);
        }
    }

    private static byte[] denied(String denial) {
        return denial == null ? null : InAnswer.denied(denial);
    }

    /** Null when granted; 403 as the original for a denial; 429 with a Retry-After when throttled. */
    static byte[] answerTo(AuthResult r) {
        if (r.granted()) return null;
        if (!r.throttled()) return InAnswer.denied(r.denial());
        byte[] plain = InAnswer.answer("429 Too Many Requests", r.denial() + "\n");
        // InAnswer frames every IN answer alike; only this one carries a header more, after the status line.
        int eol = indexOfCrlf(plain) + 2;
        byte[] header = ("Retry-After: " + r.retryAfterSeconds() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[plain.length + header.length];
        System.arraycopy(plain, 0, out, 0, eol);
        System.arraycopy(header, 0, out, eol, header.length);
        System.arraycopy(plain, eol, out, eol + header.length, plain.length - eol);
        return out;
    }

    private static int indexOfCrlf(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        throw new IllegalStateException("an answer without a status line");
    }

    /**
     * The address failures are counted by: the IP; for IPv6 its /64, since one host commonly
     * holds a whole /64 and could otherwise step to a fresh address per guess.
     */
    static String addressOf(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress isa) || isa.getAddress() == null) return "local";
        InetAddress a = isa.getAddress();
        if (!(a instanceof Inet6Address)) return a.getHostAddress();
        byte[] b = a.getAddress();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i += 2)
            s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)))
                    .append(':');
        return s.append(":/64").toString();
    }
}
