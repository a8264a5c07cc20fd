package org.realplexor.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Lenient looks into received request bytes: where the head ends, a header's value, the method.
 * Nothing here insists on well-formed HTTP, because deployed clients do not send it.
 */
public final class RawRequest {
    private RawRequest() {}

    /** Index of the first byte after the first blank line ({@code \r?\n\r?\n}), or -1. */
    public static int bodyStart(byte[] b, int len) {
        return bodyStart(b, 0, len);
    }

    /**
     * The same, for bytes that grow: a search that found nothing in {@code b[0, n)} goes on with
     * {@code from = max(0, n - 2)}, because a blank line may have begun in the last two bytes.
     */
    public static int bodyStart(byte[] b, int from, int len) {
        for (int i = from; i < len; i++) {
            if (b[i] != '\n') continue;
            int j = i + 1;
            if (j < len && b[j] == '\r') j++;
            if (j < len && b[j] == '\n') return j + 1;
        }
        return -1;
    }

    /**
     * Whether an HTTP request has all arrived, body included: its head is complete and, when it
     * names a Content-Length, that many bytes follow (a malformed length counts as complete:
     * there is nothing to wait for). Without a length only a GET or HEAD is known to be over; a
     * body of unknown length may still be on its way.
     */
    public static boolean bodyComplete(String method, String contentLength, int bodyStart, int len) {
        if (bodyStart < 0) return false;
        if (contentLength == null) return "GET".equals(method) || "HEAD".equals(method);
        try {
            return len - bodyStart >= Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The first request line, if the bytes start with {@code METHOD SP target SP HTTP/x.y}. */
    public static String method(byte[] b, int len) {
        int lineEnd = 0;
        while (lineEnd < len && b[lineEnd] != '\n') lineEnd++;
        if (lineEnd == len) return null;
        String line = new String(b, 0, lineEnd, StandardCharsets.ISO_8859_1).trim();
        int sp = line.indexOf(' ');
        if (sp <= 0 || !line.contains(" HTTP/")) return null;
        String m = line.substring(0, sp);
        for (int i = 0; i < m.length(); i++) if (m.charAt(i) < 'A' || m.charAt(i) > 'Z') return null;
        return m;
    }

    /**
     * True when the bytes hold no line end yet and start like a request line ({@code METHOD SP}):
     * an HTTP request whose first line is still on its way, not a raw request.
     */
    public static boolean requestLineInProgress(byte[] b, int len) {
        int i = 0;
        while (i < len && b[i] >= 'A' && b[i] <= 'Z') i++;
        if (i == 0 || i == len || b[i] != ' ') return false;
        for (int k = i; k < len; k++) if (b[k] == '\n') return false;
        return true;
    }

    /** True when the bytes start with a request line of the form above (headers then follow). */
    public static boolean startsWithRequestLine(byte[] b, int len) {
        return method(b, len) != null;
    }

    /** The value of the first header {@code name} (case-insensitive) in {@code [0, to)}, or null. */
    public static String header(byte[] b, int to, String name) {
        int lineStart = 0;
        int n = name.length();
        while (lineStart < to) {
            int lineEnd = lineStart;
            while (lineEnd < to && b[lineEnd] != '\n') lineEnd++;
            if (lineEnd - lineStart > n && b[lineStart + n] == ':' && regionMatches(b, lineStart, name)) {
                return new String(b, lineStart + n + 1, lineEnd - lineStart - n - 1, StandardCharsets.ISO_8859_1)
                        .trim();
            }
            lineStart = lineEnd + 1;
        }
        return null;
    }

    /**
     * The values of several headers in one pass over {@code [0, to)}: {@code out[i]} gets the
     * first {@code names[i]} (case-insensitive), or null. A WAIT request needs four on every poll.
     */
    public static String[] headers(byte[] b, int to, String... names) {
        String[] out = new String[names.length];
        int lineStart = 0;
        while (lineStart < to) {
            int lineEnd = lineStart;
            while (lineEnd < to && b[lineEnd] != '\n') lineEnd++;
            for (int i = 0; i < names.length; i++) {
                int n = names[i].length();
                if (out[i] == null
                        && lineEnd - lineStart > n
                        && b[lineStart + n] == ':'
                        && regionMatches(b, lineStart, names[i])) {
                    out[i] = new String(b, lineStart + n + 1, lineEnd - lineStart - n - 1, StandardCharsets.ISO_8859_1)
                            .trim();
                }
            }
            lineStart = lineEnd + 1;
        }
        return out;
    }

    /**
     * The first value of the query parameter {@code name} in the request line's target, %-decoded
     * ({@code +} as a space, bytes as ISO-8859-1); null when it is missing, has no {@code =}, or
     * has a malformed escape.
     */
    public static String queryParam(byte[] b, int len, String name) {
        int lineEnd = 0;
        while (lineEnd < len && b[lineEnd] != '\n') lineEnd++;
        int p = 0;
        while (p < lineEnd && b[p] != ' ') p++;
        int targetEnd = ++p;
        while (targetEnd < lineEnd && b[targetEnd] != ' ' && b[targetEnd] != '\r' && b[targetEnd] != '#') targetEnd++;
        while (p < targetEnd && b[p] != '?') p++;
        int n = name.length();
        for (p++; p < targetEnd; ) {
            int amp = p;
            while (amp < targetEnd && b[amp] != '&') amp++;
            if (amp - p > n && b[p + n] == '=' && sameBytes(b, p, name)) return JsonpCallback.decode(b, p + n + 1, amp);
            p = amp + 1;
        }
        return null;
    }

    private static boolean sameBytes(byte[] b, int at, String s) {
        for (int k = 0; k < s.length(); k++) if (b[at + k] != s.charAt(k)) return false;
        return true;
    }

    private static boolean regionMatches(byte[] b, int at, String name) {
        for (int k = 0; k < name.length(); k++) {
            if (Character.toLowerCase((char) (b[at + k] & 0xff)) != Character.toLowerCase(name.charAt(k))) return false;
        }
        return true;
    }
}
