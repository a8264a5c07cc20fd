package org.realplexor.auth;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a login's password in two steps so that only what must hash leaves the event loop,
 * and so that guessing cannot buy hashing time without end:
 * <ol>
 * <li>{@link #atOnce}: an unknown login, a password that verified before (one SHA-256), or a
 * login or address that has used up its failures is answered at once;</li>
 * <li>{@link #hashed}: everything else, on a checking thread; it looks at the failures again
 * first, since a check may have waited in a queue while its login or address ran out.</li>
 * </ol>
 * A login and a source address each get {@link #FAILURES} wrong passwords per minute (token
 * buckets: the first ten at once, then one every six seconds); past that, attempts are refused
 * with a throttled result (429) without hashing, and the refusals are logged at most once per
 * login or address per minute. Passwords that verified before are let in regardless, so a
 * flood against a login does not shut out its running publishers.
 *
 * <p>One per users file; safe between threads.
 */
public final class LoginGuard {

    private static final Logger LOG = LoggerFactory.getLogger(LoginGuard.class);

    /** Wrong passwords a login, and an address, may send per {@link #WINDOW_NANOS}. */
    public static final int FAILURES = 10;

    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Logins and addresses remembered (each), the least recently seen forgotten first. */
    static final int REMEMBERED = 10_000;

    private final UsersFile users;
    private final FailureLimiter logins;
    private final FailureLimiter addresses;

    public LoginGuard(UsersFile users) {
        this(users, System::nanoTime);
    }

    LoginGuard(UsersFile users, LongSupplier clock) {
        this.users = users;
        this.logins = new FailureLimiter(FAILURES, WINDOW_NANOS, REMEMBERED, clock);
        this.addresses = new FailureLimiter(FAILURES, WINDOW_NANOS, REMEMBERED, clock);
    }

    /**
     * The answer when it costs no hashing; cheap enough for an event loop.
     *
     * @param address the client's address (or the network it is counted by)
     * @return null when the password must be hashed: call {@link #hashed} off the loop
     */
    public AuthResult atOnce(String login, String password, String address) {
        if (!users.knows(login)) return users.check(login, password);
        if (users.verifiedBefore(login, password)) return AuthResult.user(login);
        return refusal(login, address);
    }

    /** The whole check (slow: bcrypt and SHA-crypt cost milliseconds by design); a wrong password is counted. */
    public AuthResult hashed(String login, String password, String address) {
        if (users.verifiedBefore(login, password)) return AuthResult.user(login); // a twin verified meanwhile
        AuthResult refused = refusal(login, address);
        if (refused != null) return refused;
        AuthResult r = users.check(login, password);
        if (!r.granted() && users.knows(login)) {
            logins.failed(login);
            addresses.failed(address);
        }
        return r;
    }

    /**
     * A check goes to wait for a checking thread: counts it against its login and address until
     * {@link #unqueued}.
     *
     * @return whether it may have to hash; false when its login or address has more checks waiting
     *         than failures left, so that it will almost surely be answered cheaply (refused as
     *         throttled, or let in as a password that verified meanwhile)
     */
    public boolean queued(String login, String address) {
        boolean mayHash = logins.roomBeyondWaiting(login) && addresses.roomBeyondWaiting(address);
        logins.waiting(login, 1);
        addresses.waiting(address, 1);
        return mayHash;
    }

    /** A check counted by {@link #queued} is done or dropped. */
    public void unqueued(String login, String address) {
        logins.waiting(login, -1);
        addresses.waiting(address, -1);
    }

    /** A throttled result when the login or the address has no failure left, else null. */
    private AuthResult refusal(String login, String address) {
        long wait = logins.waitNanos(login);
        if (wait > 0) return refuse(logins, login, "login " + login, "for login " + login, wait, address);
        wait = addresses.waitNanos(address);
        if (wait > 0) return refuse(addresses, address, "address " + address, "from " + address, wait, address);
        return null;
    }

    private static AuthResult refuse(
            FailureLimiter limiter, String key, String who, String fromWhom, long waitNanos, String address) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + TimeUnit.SECONDS.toNanos(1) - 1));
        long unlogged = limiter.refusedLogLine(key);
        if (unlogged >= 0) {
            LOG.warn(
                    "{}: more than {} wrong passwords within a minute; refusing its attempts unchecked (429) for {} s"
                            + " (this one from {}; {} more refusals of it not logged since its previous line)",
                    who,
                    limiter.burst(),
                    seconds,
                    address,
                    unlogged);
        }
        return AuthResult.throttled(
                "too many wrong passwords " + fromWhom + " (at most " + limiter.burst()
                        + " a minute); nothing was published, try again in " + seconds + " s",
                seconds);
    }
}
