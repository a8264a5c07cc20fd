package org.realplexor.auth;

import java.util.Objects;

/**
 * The outcome of checking a publisher's credentials: granted to a login, granted to a guest,
 * denied with the exact body line the IN line answers (without its trailing newline), or
 * refused unchecked because the login or address failed too often lately (throttled: a 429
 * with a Retry-After instead of the original's 403).
 *
 * <p>A granted result also scopes what the publisher may touch: a logged-in publisher only
 * ids (and ONLINE/WATCH prefixes) starting with {@code LOGIN_}, a guest everything.
 */
public final class AuthResult {

    private static final AuthResult GUEST = new AuthResult(true, null, null, 0);

    private final boolean granted;
    private final String login;
    private final String denial;
    /** Above zero only for a throttled refusal: when to try again. */
    private final long retryAfterSeconds;

    private AuthResult(boolean granted, String login, String denial, long retryAfterSeconds) {
        this.granted = granted;
        this.login = login;
        this.denial = denial;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static AuthResult guest() {
        return GUEST;
    }

    public static AuthResult user(String login) {
        return new AuthResult(true, Objects.requireNonNull(login, "login"), null, 0);
    }

    /** @param denial the answer's body line, e.g. {@code unknown login: bob} */
    public static AuthResult denied(String denial) {
        return new AuthResult(false, null, Objects.requireNonNull(denial, "denial"), 0);
    }

    /**
     * Refused without looking at the password.
     *
     * @param why               the answer's body line
     * @param retryAfterSeconds at least 1
     */
    public static AuthResult throttled(String why, long retryAfterSeconds) {
        if (retryAfterSeconds < 1) throw new IllegalArgumentException("retryAfterSeconds < 1: " + retryAfterSeconds);
        return new AuthResult(false, null, Objects.requireNonNull(why, "why"), retryAfterSeconds);
    }

    public boolean granted() {
        return granted;
    }

    /** The logged-in login; null for a guest and for a denial. */
    public String login() {
        return login;
    }

    /** The 403 (or, throttled, 429) body line without its newline; null when granted. */
    public String denial() {
        return denial;
    }

    /** Refused unchecked for failing too often: answer 429 with {@link #retryAfterSeconds()}. */
    public boolean throttled() {
        return retryAfterSeconds > 0;
    }

    /** Seconds until a throttled login or address may try again; 0 when not throttled. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthResult r
                && granted == r.granted
                && Objects.equals(login, r.login)
                && Objects.equals(denial, r.denial)
                && retryAfterSeconds == r.retryAfterSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(granted, login, denial, retryAfterSeconds);
    }

    @Override
    public String toString() {
        if (throttled()) return "throttled(" + denial + ", retry after " + retryAfterSeconds + " s)";
        if (!granted) return "denied(" + denial + ")";
        return login == null ? "guest" : "user(" + login + ")";
    }
}
