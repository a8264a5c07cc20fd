package org.realplexor.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch: several messages, each to its own ids, in one IN request. The request carries the
 * header {@code X-Realplexor-Batch: N} (N messages) and a body of N entries, each
 *
 * <pre>
 * ITEMS SP LENGTH LF        the ids as in identifier= ([*][CURSOR:]ID,...), then the message's size in bytes
 * MESSAGE LF                exactly LENGTH bytes, then a line end (CRLF also; optional after the last)
 * </pre>
 *
 * Length-prefixed, so a message is never scanned or escaped, and both ends can write and read
 * it as a stream. Every entry is checked before any is stored: one bad entry refuses the batch.
 */
public final class PublishBatch {
    public static final String HEADER = "X-Realplexor-Batch";
    /** A size line is short: ids are capped, and a line without its end is not waited for beyond this. */
    static final int MAX_LENGTH_DIGITS = 10;

    /** One message of the batch: its items (targets and limiters) and its body. */
    public record Message(List<Item> items, byte[] data) {}

    /** The messages in order, or why the batch is refused ({@code refusal} non-null, a sentence). */
    public record Parsed(List<Message> messages, String refusal) {
        static Parsed refused(String why) {
            return new Parsed(null, why);
        }
    }

    private PublishBatch() {}

    /**
     * Reads a batch body.
     *
     * @param header      the {@link #HEADER} value: the number of messages
     * @param maxIdLength MAX_ID_LENGTH: a longer id refuses the batch, as it refuses a publish
     */
    public static Parsed parse(String header, byte[] body, int maxIdLength) {
        int count = count(header);
        if (count < 1) {
            return Parsed.refused(
                    "the " + HEADER + " header must be the number of messages (1 or more), not '" + header + "'");
        }
        List<Message> out = new ArrayList<>(Math.min(count, 1024));
        int p = 0;
        while (p < body.length) {
            int n = out.size() + 1;
            String where = "batch message " + n;
            if (n > count)
                return Parsed.refused(
                        "the batch holds more messages than its " + HEADER + " header says (" + count + ")");
            int lineEnd = p;
            while (lineEnd < body.length && body[lineEnd] != '\n') lineEnd++;
            if (lineEnd == body.length) return Parsed.refused(where + ": its line 'IDS LENGTH' has no line end");
            int stop = lineEnd > p && body[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            int sp = stop - 1;
            while (sp >= p && body[sp] != ' ') sp--;
            if (sp <= p) return Parsed.refused(where + ": its first line must be 'IDS LENGTH'");
            long length = length(body, sp + 1, stop);
            if (length < 0)
                return Parsed.refused(where + ": '" + latin1(body, sp + 1, stop) + "' is not a length in bytes");
            String list = latin1(body, p, sp);
            for (int i = 0; i < list.length(); i++) {
                if (!listChar(list.charAt(i))) {
                    return Parsed.refused(
                            where + ": its ids may hold only letters, digits and _*,.: (not '" + list.charAt(i) + "')");
                }
            }
            String[] over = new String[1];
            List<Item> items = IdentifierScanner.parseItems(list, maxIdLength, over);
            if (over[0] != null) return Parsed.refused(where + ": " + over[0]);
            int data = lineEnd + 1;
            if (length > body.length - data) {
                return Parsed.refused(where + ": its length " + length + " runs past the end of the body ("
                        + (body.length - data) + " bytes left)");
            }
            int after = data + (int) length;
            byte[] message = java.util.Arrays.copyOfRange(body, data, after);
            if (message.length == 0) return Parsed.refused(where + ": the message body is empty");
            int invalid = Utf8.firstInvalid(message);
            if (invalid >= 0)
                return Parsed.refused(where + ": the message body is not valid UTF-8 (byte offset " + invalid + ")");
            if (after < body.length && body[after] == '\r') after++;
            if (after < body.length && body[after] != '\n') {
                return Parsed.refused(
                        where + ": the message is longer than its length " + length + " says (no line end after it)");
            }
            p = after + 1;
            out.add(new Message(items, message));
        }
        if (out.size() != count) {
            return Parsed.refused(
                    "the batch holds " + out.size() + " message(s), its " + HEADER + " header says " + count);
        }
        return new Parsed(out, null);
    }

    private static int count(String header) {
        String v = header == null ? "" : header.trim();
        if (v.isEmpty() || v.length() > 9) return -1;
        for (int i = 0; i < v.length(); i++) if (v.charAt(i) < '0' || v.charAt(i) > '9') return -1;
        return Integer.parseInt(v);
    }

    private static long length(byte[] b, int from, int to) {
        if (to <= from || to - from > MAX_LENGTH_DIGITS) return -1;
        long n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') return -1;
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private static boolean listChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '*' || c == ',' || c == '.' || c == ':');
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The answer body: per message, its {@code ID CURSOR} lines, then an empty line. */
    public static String answer(List<String> blocks) {
        StringBuilder sb = new StringBuilder();
        for (String b : blocks) sb.append(b).append('\n');
        return sb.toString();
    }
}
