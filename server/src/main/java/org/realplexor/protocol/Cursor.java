package org.realplexor.protocol;

import java.math.BigDecimal;

/**
 * A cursor: a non-negative decimal kept exactly as the client wrote it (echoed verbatim, so
 * {@code 0010.50} stays {@code 0010.50}) and compared by exact decimal value ({@code 100} equals
 * {@code 100.0}; two generated cursors one microsecond apart never compare equal, which a double
 * could not promise).
 */
public final class Cursor implements Comparable<Cursor> {
    /**
     * The longest cursor text accepted. Generated cursors have 25 characters (seconds, a dot,
     * 14 fraction digits); a bound keeps a client from making the server store and compare
     * numbers of any size.
     */
    public static final int MAX_LENGTH = 64;

    private final String text;
    private final BigDecimal value;

    private Cursor(String text, BigDecimal value) {
        this.text = text;
        this.value = value;
    }

    /** True for {@code digits[.digits]}, the only cursor form the protocol accepts. */
    public static boolean isValid(CharSequence s) {
        int n = s.length();
        int i = 0;
        while (i < n && isDigit(s.charAt(i))) i++;
        if (i == 0) return false;
        if (i == n) return true;
        if (s.charAt(i) != '.') return false;
        int frac = ++i;
        while (i < n && isDigit(s.charAt(i))) i++;
        return i == n && i > frac;
    }

    /** Parses {@code digits[.digits]}; throws IllegalArgumentException otherwise. */
    public static Cursor of(String text) {
        if (!isValid(text)) throw new IllegalArgumentException("not a cursor: '" + text + "'");
        return new Cursor(text, new BigDecimal(text));
    }

    public String text() {
        return text;
    }

    public BigDecimal value() {
        return value;
    }

    public boolean isAfter(Cursor other) {
        return value.compareTo(other.value) > 0;
    }

    @Override
    public int compareTo(Cursor o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cursor c && value.compareTo(c.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
