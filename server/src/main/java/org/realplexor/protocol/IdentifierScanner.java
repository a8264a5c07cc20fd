package org.realplexor.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds {@code MARKER=[LOGIN:PASSWORD@]ITEM,ITEM,...} anywhere in the bytes received so far, the
 * lenient way both lines of the original did: the marker may sit in the request line, a header
 * or the body; lines starting with {@code Referer:} are skipped (a referring URL may carry the
 * marker); the marker must start a word; and the list counts only once a character outside
 * {@code [A-Za-z0-9_*,.:]} follows it, because until then more of it may still be on its way.
 *
 * <p>Bytes are read as ISO-8859-1: the grammar is ASCII, anything else only ends a run.
 */
public final class IdentifierScanner {
    private final byte[] marker;
    private final int maxIdLength;

    /** @param name the IDENTIFIER knob, e.g. {@code identifier}; ids of any length */
    public IdentifierScanner(String name) {
        this(name, Integer.MAX_VALUE);
    }

    /** @param maxIdLength the MAX_ID_LENGTH knob: longer ids are left out and reported */
    public IdentifierScanner(String name, int maxIdLength) {
        this.marker = (name + "=").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        this.maxIdLength = maxIdLength;
    }

    /**
     * @param buf    received bytes
     * @param len    how many of them are valid
     * @param atEnd  true when no more bytes will come (then the end of input also ends the list)
     * @return the list, or null when no complete marker is there (yet)
     */
    public IdentifierList scan(byte[] buf, int len, boolean atEnd) {
        int lineStart = 0;
        while (lineStart < len) {
            int lineEnd = indexOf(buf, (byte) '\n', lineStart, len);
            int stop = lineEnd < 0 ? len : lineEnd;
            if (!isRefererLine(buf, lineStart, stop)) {
                int found = findMarker(buf, lineStart, stop);
                if (found >= 0) {
                    IdentifierList l = parseAt(buf, found + marker.length, len, atEnd);
                    if (l != null || !atEnd) return l;
                }
            }
            if (lineEnd < 0) break;
            lineStart = lineEnd + 1;
        }
        return null;
    }

    private int findMarker(byte[] buf, int from, int to) {
        outer:
        for (int i = from; i + marker.length <= to; i++) {
            for (int k = 0; k < marker.length; k++) {
                if (buf[i + k] != marker[k]) continue outer;
            }
            if (i > 0 && isWord(buf[i - 1])) continue;
            return i;
        }
        return -1;
    }

    /** Parses the list starting at {@code p}; null when its end has not arrived yet. */
    private IdentifierList parseAt(byte[] buf, int p, int len, boolean atEnd) {
        String login = null;
        String password = null;
        int afterCreds = credentialsEnd(buf, p, len);
        if (afterCreds > 0) {
            int colon = p;
            while (buf[colon] != ':') colon++;
            login = latin1(buf, p, colon);
            password = latin1(buf, colon + 1, afterCreds - 1);
            p = afterCreds;
        }
        int end = p;
        while (end < len && isListChar(buf[end])) end++;
        if (end == len && !atEnd) return null;
        String[] overLimit = new String[1];
        List<Item> items = parseItems(latin1(buf, p, end), maxIdLength, overLimit);
        return new IdentifierList(login, password, items, overLimit[0]);
    }

    /** Index just past {@code \w+:[^@\s]+@} at p, or -1 when there are no credentials there. */
    private static int credentialsEnd(byte[] buf, int p, int len) {
        int i = p;
        while (i < len && isWord(buf[i])) i++;
        if (i == p || i >= len || buf[i] != ':') return -1;
        int pw = ++i;
        while (i < len && buf[i] != '@' && !isSpace(buf[i])) i++;
        if (i == pw || i >= len || buf[i] != '@') return -1;
        return i + 1;
    }

    /**
     * Splits on commas, keeping only items of the form {@code [*][CURSOR:]ID} (cursors up to
     * {@link Cursor#MAX_LENGTH}).
     */
    public static List<Item> parseItems(String list) {
        return parseItems(list, Integer.MAX_VALUE, new String[1]);
    }

    /**
     * As {@link #parseItems(String)}; items whose id is longer than {@code maxIdLength} or whose
     * cursor is longer than {@link Cursor#MAX_LENGTH} are left out, the first one described
     * in {@code overLimit[0]}.
     */
    static List<Item> parseItems(String list, int maxIdLength, String[] overLimit) {
        List<Item> items = new ArrayList<>();
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            if (comma < 0) comma = list.length();
            String raw = list.substring(start, comma);
            String over = overLimit(raw, maxIdLength);
            if (over != null) {
                if (overLimit[0] == null) overLimit[0] = over;
            } else {
                Item item = parseItem(raw);
                if (item != null) items.add(item);
            }
            start = comma + 1;
        }
        return items;
    }

    /**
     * What is too long in a well-formed item, or null. Checked before the item is parsed, so a
     * long cursor costs no number parsing; a malformed item is dropped as ever, whatever its length.
     */
    private static String overLimit(String raw, int maxIdLength) {
        String rest = raw.startsWith("*") ? raw.substring(1) : raw;
        int colon = rest.indexOf(':');
        String cursor = colon < 0 ? null : rest.substring(0, colon);
        String id = colon < 0 ? rest : rest.substring(colon + 1);
        if (!isId(id) || (cursor != null && !Cursor.isValid(cursor))) return null;
        if (id.length() > maxIdLength) {
            return "an id of " + id.length() + " characters is longer than MAX_ID_LENGTH (" + maxIdLength + ")";
        }
        if (cursor != null && cursor.length() > Cursor.MAX_LENGTH) {
            return "a cursor of " + cursor.length() + " characters is longer than the limit (" + Cursor.MAX_LENGTH
                    + ")";
        }
        return null;
    }

    static Item parseItem(String s) {
        boolean limiter = s.startsWith("*");
        String rest = limiter ? s.substring(1) : s;
        int colon = rest.indexOf(':');
        Cursor cursor = null;
        String id = rest;
        if (colon >= 0) {
            String c = rest.substring(0, colon);
            if (!Cursor.isValid(c)) return null;
            cursor = Cursor.of(c);
            id = rest.substring(colon + 1);
        }
        if (!isId(id)) return null;
        return new Item(id, cursor, limiter);
    }

    /** True for a non-empty {@code \w+} (ASCII letters, digits, underscore). */
    public static boolean isId(CharSequence s) {
        if (s.length() == 0) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 127 || !isWord((byte) c)) return false;
        }
        return true;
    }

    private static boolean isRefererLine(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && (buf[i] == ' ' || buf[i] == '\t')) i++;
        final String r = "referer:";
        if (to - i < r.length()) return false;
        for (int k = 0; k < r.length(); k++) {
            if (Character.toLowerCase((char) (buf[i + k] & 0xff)) != r.charAt(k)) return false;
        }
        return true;
    }

    private static int indexOf(byte[] buf, byte b, int from, int to) {
        for (int i = from; i < to; i++) if (buf[i] == b) return i;
        return -1;
    }

    static boolean isWord(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
    }

    private static boolean isListChar(byte b) {
        return isWord(b) || b == '*' || b == ',' || b == '.' || b == ':';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f' || b == 0x0b;
    }

    private static String latin1(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
