package org.realplexor.auth;

import java.util.Objects;

/**
 * The outcome of checking a publisher's credentials: granted to a login, granted to a guest,
 * or denied with the exact body line the IN line answers (without its trailing newline).
 *
 * <p>A granted result also scopes what the publisher may touch: a logged-in publisher only
 * ids (and ONLINE/WATCH prefixes) starting with {@code LOGIN_}, a guest everything.
 */
public final class AuthResult {

    private static final AuthResult GUEST = new AuthResult(true, null, null);

    private final boolean granted;
    private final String login;
    private final String denial;

    private AuthResult(boolean granted, String login, String denial) {
        this.granted = granted;
        this.login = login;
        this.denial = denial;
    }

    public static AuthResult guest() {
        return GUEST;
    }

    public static AuthResult user(String login) {
        return new AuthResult(true, Objects.requireNonNull(login, "login"), null);
    }

    /** @param denial the answer's body line, e.g. {@code unknown login: bob} */
    public static AuthResult denied(String denial) {
        return new AuthResult(false, null, Objects.requireNonNull(denial, "denial"));
    }

    public boolean granted() {
        return granted;
    }

    /** The logged-in login; null for a guest and for a denial. */
    public String login() {
        return login;
    }

    /** The 403 body line without its newline; null when granted. */
    public String denial() {
        return denial;
    }

    public boolean isGuest() {
        return granted && login == null;
    }

    /** {@code "LOGIN_"} for a login, {@code ""} for a guest. */
    public String scopePrefix() {
        if (!granted) throw new IllegalStateException("access was denied: " + denial);
        return login == null ? "" : login + "_";
    }

    /**
     * Whether this publisher may publish to {@code id} (or query with it as a prefix): guests
     * reach every id, a login only ids starting with {@code LOGIN_}; a denial reaches nothing.
     */
    public boolean mayReach(String id) {
        if (!granted || id == null) return false;
        return login == null || id.startsWith(login + "_");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthResult r && granted == r.granted && Objects.equals(login, r.login)
                && Objects.equals(denial, r.denial);
    }

    @Override
    public int hashCode() {
        return Objects.hash(granted, login, denial);
    }

    @Override
    public String toString() {
        if (!granted) return "denied(" + denial + ")";
        return login == null ? "guest" : "user(" + login + ")";
    }
}
