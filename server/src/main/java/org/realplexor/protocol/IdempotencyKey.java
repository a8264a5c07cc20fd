package org.realplexor.protocol;

/**
 * The idempotency key a publish may carry (header {@value #HEADER}): a publisher that retries
 * after a timeout sends the same key, and the server stores the message once. Pure: the form a
 * key must have and the scope it is looked up in.
 */
public final class IdempotencyKey {
    public static final String HEADER = "X-Realplexor-Idempotency-Key";

    /**
     * The longest key, in characters. Part of the wire contract rather than a knob: an SDK checks
     * it before sending, and nodes of one cluster must agree on it. A UUID (36) or a hex SHA-256
     * (64) fits with room for a prefix.
     */
    public static final int MAX_LENGTH = 128;

    private IdempotencyKey() {}

    /**
     * What is wrong with a header value (as read, surrounding blanks trimmed), or null when it is
     * a good key or absent (null): 1 to {@link #MAX_LENGTH} characters, each printable ASCII
     * other than the space (0x21 to 0x7E).
     */
    public static String problem(String value) {
        if (value == null) return null;
        if (value.isEmpty()) return "the " + HEADER + " header is empty (a key is 1 to " + MAX_LENGTH + " characters)";
        if (value.length() > MAX_LENGTH) {
            return "the " + HEADER + " header is " + value.length() + " characters long, over the limit of "
                    + MAX_LENGTH;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return "the " + HEADER
                        + " header has a character outside printable ASCII without space (0x21-0x7E) at index " + i
                        + " (0x" + Integer.toHexString(c) + ")";
            }
        }
        return null;
    }

    /**
     * The key as it is remembered: within the publisher's login (null for guests), so one login's
     * key never matches another's. Logins are alphanumeric and never empty, so the colon cannot
     * make two scopes meet.
     */
    public static String scoped(String login, String key) {
        return (login == null ? "" : login) + ":" + key;
    }

    /**
     * The key of message {@code n} (from 1) of a batch sent with {@code key}: each message is
     * remembered on its own, so a retry of a batch stores only what the first try did not. The
     * space cannot occur in a key, so it never meets a single publish's key.
     */
    public static String ofBatchMessage(String key, int n) {
        return key + " " + n;
    }
}
