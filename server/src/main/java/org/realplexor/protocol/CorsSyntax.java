package org.realplexor.protocol;

/**
 * What a request header must look like before the WAIT line echoes it into an answer. An echoed
 * value is written between our own header lines, so a byte such as a bare CR (a line end to some
 * browsers and proxies) would let the client add headers of its own (Set-Cookie, ...). Instead
 * of escaping, only values of a narrow, known shape are echoed at all; every byte such a value
 * may hold is a VCHAR, so it is inside the field-value grammar of RFC 9110 §5.5.
 */
public final class CorsSyntax {
    /** No browser sends a longer origin (DNS names end at 253); longer ones are not echoed. */
    public static final int MAX_ORIGIN = 255;
    /** Browsers list the non-safelisted header names a page sets: far fewer than this. */
    public static final int MAX_HEADER_LIST = 1024;

    private CorsSyntax() {}

    /**
     * True for a serialized origin (RFC 6454 §6.2): {@code scheme "://" host [":" port]}, the
     * scheme lower-case letters, digits, {@code + - .} after a first letter, the host DNS
     * characters ({@code _} too, seen on intranets) or an IPv6 literal in brackets, the port
     * 1 to 5 digits; or the literal {@code null} (sandboxed frames, file: pages). Nothing else,
     * no path, no spaces, at most {@link #MAX_ORIGIN} characters.
     */
    public static boolean isOrigin(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_ORIGIN) return false;
        if (s.equals("null")) return true;
        int n = s.length();
        int i = 0;
        if (!lowerAlpha(s.charAt(0))) return false;
        while (i < n && (lowerAlpha(s.charAt(i)) || digit(s.charAt(i)) || "+-.".indexOf(s.charAt(i)) >= 0)) i++;
        if (!s.startsWith("://", i)) return false;
        i += 3;
        int hostStart = i;
        if (i < n && s.charAt(i) == '[') {
            i++;
            while (i < n && (hex(s.charAt(i)) || s.charAt(i) == ':' || s.charAt(i) == '.')) i++;
            if (i >= n || s.charAt(i) != ']' || i == hostStart + 1) return false;
            i++;
        } else {
            while (i < n && (alpha(s.charAt(i)) || digit(s.charAt(i)) || "-._".indexOf(s.charAt(i)) >= 0)) i++;
            if (i == hostStart) return false;
        }
        if (i == n) return true;
        if (s.charAt(i) != ':') return false;
        int portStart = ++i;
        while (i < n && digit(s.charAt(i))) i++;
        return i == n && i > portStart && i - portStart <= 5;
    }

    /**
     * True for a comma-separated list of tokens (RFC 9110 §5.6.1-2), optional spaces or tabs
     * around each comma, every element non-empty, at most {@link #MAX_HEADER_LIST} characters:
     * the shape of Access-Control-Request-Headers.
     */
    public static boolean isTokenList(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_HEADER_LIST) return false;
        int n = s.length();
        int i = 0;
        while (true) {
            while (i < n && ows(s.charAt(i))) i++;
            int start = i;
            while (i < n && tchar(s.charAt(i))) i++;
            if (i == start) return false;
            while (i < n && ows(s.charAt(i))) i++;
            if (i == n) return true;
            if (s.charAt(i++) != ',') return false;
        }
    }

    private static boolean tchar(char c) {
        return alpha(c) || digit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean ows(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean lowerAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean alpha(char c) {
        return lowerAlpha(c) || (c >= 'A' && c <= 'Z');
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean hex(char c) {
        return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
