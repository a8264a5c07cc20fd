package org.realplexor.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/** Argument checks with the original PHP API's rules, and the texts they produce. */
final class Ids {

    // Java's \w and \d are ASCII-only unless UNICODE_CHARACTER_CLASS is set, as the server's.
    private static final Pattern ID = Pattern.compile("\\w+");
    private static final Pattern PREFIX = Pattern.compile("\\w*");
    private static final Pattern CURSOR = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern PASSWORD = Pattern.compile("[^\\s@]+");

    private Ids() {}

    static String id(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new RealplexorException("invalid id " + quote(id)
                    + ": an id must be one or more ASCII letters, digits or underscores (\\w+)");
        }
        return id;
    }

    static String prefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new RealplexorException("invalid id prefix " + quote(prefix)
                    + ": a prefix must be ASCII letters, digits or underscores (\\w*)");
        }
        return prefix;
    }

    static String namespace(String namespace) {
        if (namespace == null || !PREFIX.matcher(namespace).matches()) {
            throw new RealplexorException("invalid namespace " + quote(namespace)
                    + ": a namespace must be ASCII letters, digits or underscores (\\w*)");
        }
        return namespace;
    }

    static String login(String login) {
        if (login == null || !ID.matcher(login).matches()) {
            throw new RealplexorException("invalid login " + quote(login)
                    + ": a login must be one or more ASCII letters, digits or underscores");
        }
        return login;
    }

    static String password(String login, String password) {
        if (password == null || !PASSWORD.matcher(password).matches()) {
            // The password itself stays out of the message: it ends up in logs.
            throw new RealplexorException("invalid password for login " + quote(login)
                    + ": it must be non-empty, without whitespace or '@' (the identifier"
                    + " LOGIN:PASSWORD@ cannot carry them)");
        }
        return password;
    }

    static String marker(String marker) {
        if (marker == null || !ID.matcher(marker).matches()) {
            throw new RealplexorException("invalid identifier marker " + quote(marker)
                    + ": it must match \\w+ like the server's IDENTIFIER knob");
        }
        return marker;
    }

    /** The server's limit on an idempotency key's length (its IdempotencyKey.MAX_LENGTH). */
    static final int IDEMPOTENCY_KEY_MAX_LENGTH = 128;

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[!-~]{1," + IDEMPOTENCY_KEY_MAX_LENGTH + "}");

    static String idempotencyKey(String key) {
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new RealplexorException("invalid idempotency key " + quote(key) + ": a key must be 1 to "
                    + IDEMPOTENCY_KEY_MAX_LENGTH + " printable ASCII characters without space (! to ~)");
        }
        return key;
    }

    /**
     * The cursor as it goes on the wire: text is sent verbatim (the server echoes
     * {@code 0010.50} back as given), numbers in plain decimal notation.
     */
    static String cursor(String id, Object cursor) {
        String text;
        if (cursor instanceof CharSequence) {
            text = cursor.toString();
        } else if (cursor instanceof BigDecimal) {
            text = ((BigDecimal) cursor).toPlainString();
        } else if (cursor instanceof Long
                || cursor instanceof Integer
                || cursor instanceof Short
                || cursor instanceof Byte
                || cursor instanceof BigInteger) {
            text = cursor.toString();
        } else if (cursor instanceof Double || cursor instanceof Float) {
            double d = ((Number) cursor).doubleValue();
            text = Double.isFinite(d) ? new BigDecimal(Double.toString(d)).toPlainString() : cursor.toString();
        } else {
            throw new RealplexorException("invalid cursor " + quote(String.valueOf(cursor)) + " for id "
                    + quote(id) + ": a cursor must be a string or a number, "
                    + cursor.getClass().getName() + " given");
        }
        if (!CURSOR.matcher(text).matches()) {
            throw new RealplexorException("invalid cursor " + quote(text) + " for id " + quote(id)
                    + ": a cursor must be a non-negative decimal, digits[.digits]");
        }
        return text;
    }

    private static String quote(String s) {
        return s == null ? "null" : '"' + s + '"';
    }
}
