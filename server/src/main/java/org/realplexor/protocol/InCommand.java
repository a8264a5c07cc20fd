package org.realplexor.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A command on the IN line: {@code ONLINE}, {@code WATCH} or {@code STATS} (any case) followed by
 * whitespace or the end, with arguments to the end of that line.
 *
 * @param name     upper-case command name
 * @param args     whitespace-separated arguments
 * @param complete whether the command's line has ended (a newline or the end of input)
 */
public record InCommand(String name, List<String> args, boolean complete) {
    private static final String[] NAMES = {"ONLINE", "WATCH", "STATS"};

    /** The command starting at {@code from}, or null when the bytes there are not one. */
    public static InCommand at(byte[] b, int from, int len, boolean atEnd) {
        for (String name : NAMES) {
            int n = name.length();
            if (len - from < n) continue;
            boolean same = true;
            for (int k = 0; k < n && same; k++) {
                same = Character.toUpperCase((char) (b[from + k] & 0xff)) == name.charAt(k);
            }
            if (!same) continue;
            int after = from + n;
            if (after < len && !Character.isWhitespace((char) (b[after] & 0xff))) continue;
            int lineEnd = after;
            while (lineEnd < len && b[lineEnd] != '\n') lineEnd++;
            List<String> args = new ArrayList<>();
            for (String a : new String(b, after, lineEnd - after, StandardCharsets.ISO_8859_1)
                    .trim()
                    .split("\\s+")) {
                if (!a.isEmpty()) args.add(a);
            }
            return new InCommand(name.toUpperCase(Locale.ROOT), args, lineEnd < len || atEnd);
        }
        return null;
    }
}
