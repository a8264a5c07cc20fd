package org.realplexor.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The {@code callback=NAME} parameter of a WAIT request (JSONP, ours): present, absent, or refused
 * with a short reason. NAME is printed into a script the browser runs on the WAIT host's origin,
 * so only a plain property path passes: JavaScript identifiers (ASCII letters, digits, {@code _},
 * {@code $}; not starting with a digit; no reserved word) joined by dots, at most
 * {@link #MAX_LENGTH} characters. Anything else (brackets, quotes, parentheses, spaces, {@code
 * import}, {@code new.target} ...) could turn the call into another construct.
 *
 * <p>Only the request line's query counts (a script tag can put the parameter nowhere else);
 * {@code %XX} escapes are decoded first, {@code +} stands for a space (and so is refused).
 *
 * @param name    the callback, or null when absent or refused
 * @param refusal why the parameter is refused (for a 400 body), or null
 */
public record JsonpCallback(String name, String refusal) {
    public static final int MAX_LENGTH = 128;

    /** No {@code callback} parameter: the plain long-poll, byte for byte. */
    public static final JsonpCallback NONE = new JsonpCallback(null, null);

    private static final byte[] KEY = "callback".getBytes(StandardCharsets.ISO_8859_1);

    /** ECMAScript reserved words, strict-mode and contextual ones included, and the literals. */
    private static final Set<String> RESERVED = Set.of(
            "await",
            "break",
            "case",
            "catch",
            "class",
            "const",
            "continue",
            "debugger",
            "default",
            "delete",
            "do",
            "else",
            "enum",
            "export",
            "extends",
            "false",
            "finally",
            "for",
            "function",
            "if",
            "implements",
            "import",
            "in",
            "instanceof",
            "interface",
            "let",
            "new",
            "null",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "static",
            "super",
            "switch",
            "this",
            "throw",
            "true",
            "try",
            "typeof",
            "var",
            "void",
            "while",
            "with",
            "yield");

    public boolean present() {
        return name != null;
    }

    public boolean refused() {
        return refusal != null;
    }

    private static JsonpCallback refuse(String why) {
        return new JsonpCallback(null, why);
    }

    /**
     * Looks for {@code callback=} in the query of the request line in {@code b[0, len)}. A request
     * without one costs a scan of its request line and no allocation.
     */
    public static JsonpCallback inRequestLine(byte[] b, int len) {
        int lineEnd = 0;
        while (lineEnd < len && b[lineEnd] != '\n') lineEnd++;
        int targetStart = 0;
        while (targetStart < lineEnd && b[targetStart] != ' ') targetStart++;
        targetStart++;
        int targetEnd = targetStart;
        while (targetEnd < lineEnd && b[targetEnd] != ' ' && b[targetEnd] != '\r' && b[targetEnd] != '#') targetEnd++;
        int q = targetStart;
        while (q < targetEnd && b[q] != '?') q++;
        JsonpCallback found = NONE;
        for (int p = q + 1; p < targetEnd; ) {
            int amp = p;
            while (amp < targetEnd && b[amp] != '&') amp++;
            if (amp - p > KEY.length && b[p + KEY.length] == '=' && startsWithKey(b, p)) {
                if (found != NONE) return refuse("callback is given more than once");
                found = of(decode(b, p + KEY.length + 1, amp));
                if (found.refused()) return found;
            } else if (amp - p == KEY.length && startsWithKey(b, p)) {
                return refuse("callback has no value");
            }
            p = amp + 1;
        }
        return found;
    }

    /** Checks one decoded value (null: a malformed percent-escape). */
    public static JsonpCallback of(String value) {
        if (value == null) return refuse("callback has a malformed %-escape");
        if (value.isEmpty()) return refuse("callback is empty");
        if (value.length() > MAX_LENGTH) return refuse("callback is longer than " + MAX_LENGTH + " characters");
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i < value.length() && value.charAt(i) != '.') {
                char c = value.charAt(i);
                if (!isIdentifierPart(c)) {
                    return refuse("callback may hold only letters, digits, _, $ and dots, not " + describe(c));
                }
                continue;
            }
            if (i == start) return refuse("callback has an empty name between dots");
            if (isDigit(value.charAt(start))) return refuse("callback names must not start with a digit");
            String part = value.substring(start, i);
            if (RESERVED.contains(part)) return refuse("callback must not use the reserved word " + part);
            start = i + 1;
        }
        return new JsonpCallback(value, null);
    }

    private static boolean startsWithKey(byte[] b, int p) {
        for (int k = 0; k < KEY.length; k++) if (b[p + k] != KEY[k]) return false;
        return true;
    }

    /** {@code %XX} decoded, {@code +} as a space, bytes as ISO-8859-1; null when an escape is malformed. */
    static String decode(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c == '+') {
                c = ' ';
            } else if (c == '%') {
                if (i + 2 >= to) return null;
                int hi = Character.digit(b[i + 1], 16);
                int lo = Character.digit(b[i + 2], 16);
                if (hi < 0 || lo < 0) return null;
                c = hi * 16 + lo;
                i += 2;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static boolean isIdentifierPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(char c) {
        return c > 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
