package org.realplexor.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every value of one parameter in the query of a request line ({@code GET /?a=1&token=X&token=Y
 * HTTP/1.1}), {@code %XX} decoded. Only the request line counts: a browser's EventSource and
 * WebSocket can put a parameter nowhere else, and a token in a header would cost a CORS preflight.
 */
public final class QueryValues {
    private QueryValues() {}

    /**
     * @param b   the request's bytes; the request line is read up to its end (or {@code len})
     * @param key the parameter's name, ASCII
     * @return the values in order (an empty one for {@code key=}; a malformed escape is left out);
     *         empty when there are none, without allocating a list
     */
    public static List<String> all(byte[] b, int len, String key) {
        byte[] k = key.getBytes(StandardCharsets.ISO_8859_1);
        int lineEnd = 0;
        while (lineEnd < len && b[lineEnd] != '\n') lineEnd++;
        int targetStart = 0;
        while (targetStart < lineEnd && b[targetStart] != ' ') targetStart++;
        targetStart++;
        int targetEnd = targetStart;
        while (targetEnd < lineEnd && b[targetEnd] != ' ' && b[targetEnd] != '\r' && b[targetEnd] != '#') targetEnd++;
        int q = targetStart;
        while (q < targetEnd && b[q] != '?') q++;
        List<String> out = List.of();
        for (int p = q + 1; p < targetEnd; ) {
            int amp = p;
            while (amp < targetEnd && b[amp] != '&') amp++;
            if (amp - p > k.length && b[p + k.length] == '=' && startsWith(b, p, k)) {
                String v = JsonpCallback.decode(b, p + k.length + 1, amp);
                if (v != null) {
                    if (out.isEmpty()) out = new ArrayList<>();
                    out.add(v);
                }
            }
            p = amp + 1;
        }
        return out;
    }

    private static boolean startsWith(byte[] b, int p, byte[] k) {
        for (int i = 0; i < k.length; i++) if (b[p + i] != k[i]) return false;
        return true;
    }
}
