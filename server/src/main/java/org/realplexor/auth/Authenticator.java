package org.realplexor.auth;

/** Checks IN-line credentials; the users file behind it may be swapped on reload. */
@FunctionalInterface
public interface Authenticator {
    /**
     * @param login    the login, or null for a guest (no credentials given)
     * @param password the password, or null for a guest
     * @return null when access is granted, else the reason line for the 403 answer
     *         (e.g. {@code unknown login: bob})
     */
    String denial(String login, String password);

    /**
     * Checks logins in steps (known passwords at once, limits on failures); null: every login's
     * check is a {@link #denial} call off the event loop.
     */
    default LoginGuard guard() {
        return null;
    }
}
