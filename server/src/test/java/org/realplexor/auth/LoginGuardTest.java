package org.realplexor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which checks are answered at once, which must hash, and when failures refuse (clock given). */
class LoginGuardTest {
    /** DES crypt(3) of "password" for both logins. */
    private static final String USERS = "alice:32qjML0Qsbo8o\nbob:32qjML0Qsbo8o\n";

    private final AtomicLong now = new AtomicLong();
    private final LoginGuard guard = new LoginGuard(UsersFile.parse(USERS, "test"), now::get);

    @Test
    void unknownLoginIsAnsweredAtOnceAndUncounted() {
        for (int i = 0; i < 20; i++) {
            assertEquals(AuthResult.denied("unknown login: nobody"), guard.atOnce("nobody", "x", "10.0.0.1"));
        }
        assertNull(guard.atOnce("alice", "x", "10.0.0.1"), "the address was not charged");
    }

    @Test
    void aPasswordIsHashedOnceThenKnownAtOnce() {
        assertNull(guard.atOnce("alice", "password", "10.0.0.1"), "never verified: must hash");
        assertEquals(AuthResult.user("alice"), guard.hashed("alice", "password", "10.0.0.1"));
        assertEquals(AuthResult.user("alice"), guard.atOnce("alice", "password", "10.0.0.1"));
    }

    @Test
    void tenWrongPasswordsThrottleTheLoginButNotItsKnownPassword() {
        guard.hashed("alice", "password", "10.0.0.1");
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    AuthResult.denied("invalid password for login: alice"),
                    guard.hashed("alice", "w" + i, "10.0.0." + (2 + i)));
        }
        AuthResult r = guard.atOnce("alice", "guess", "10.0.0.99");
        assertTrue(r.throttled(), r.toString());
        assertEquals(6, r.retryAfterSeconds());
        assertEquals(
                "too many wrong passwords for login alice (at most 10 a minute); nothing was published, try again in 6 s",
                r.denial());
        assertEquals(
                AuthResult.user("alice"), guard.atOnce("alice", "password", "10.0.0.99"), "the known password gets in");
        assertEquals(
                r, guard.hashed("alice", "password2", "10.0.0.99"), "a queued check is refused when its turn comes");
        assertNull(guard.atOnce("bob", "password", "10.0.0.99"), "other logins are checked");
    }

    @Test
    void tenWrongPasswordsFromAnAddressThrottleIt() {
        for (int i = 0; i < 10; i++) guard.hashed(i % 2 == 0 ? "alice" : "bob", "w" + i, "10.0.0.1");
        AuthResult r = guard.atOnce("bob", "password", "10.0.0.1");
        assertTrue(r.throttled(), r.toString());
        assertTrue(r.denial().startsWith("too many wrong passwords from 10.0.0.1 "), r.denial());
        assertNull(guard.atOnce("bob", "password", "10.0.0.2"));
        now.addAndGet(6_000_000_000L);
        assertNull(guard.atOnce("bob", "password", "10.0.0.1"), "an attempt came back after six seconds");
    }

    @Test
    void checksBeyondWhatALoginHasLeftAreCheapToQueue() {
        for (int i = 0; i < 10; i++) assertTrue(guard.queued("alice", "10.0.0." + i), "check " + (i + 1) + " may hash");
        assertFalse(guard.queued("alice", "10.0.0.99"), "an 11th check for alice will be throttled or known");
        assertTrue(guard.queued("bob", "10.0.0.99"));
        guard.unqueued("alice", "10.0.0.0");
        assertFalse(guard.queued("alice", "10.0.0.98"), "11 were waiting, 10 are");
        guard.unqueued("alice", "10.0.0.98");
        guard.unqueued("alice", "10.0.0.99");
        assertTrue(guard.queued("alice", "10.0.0.97"), "9 are waiting");
    }
}
