package org.realplexor.net.h2;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An HTTP/2 request's header fields written as the HTTP/1.1 request head the WAIT handler reads:
 * the request line from {@code :method} and {@code :path}, {@code Host} from {@code :authority},
 * then the fields in the order they came (split cookies joined again, RFC 9113, 8.2.3), and a
 * Content-Length for the body that was received. Pure: the same fields always give the same bytes.
 */
public final class RequestHead {
    private RequestHead() {}

    /** Thrown for fields no HTTP/1.1 request could carry (the stream is then refused as malformed). */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /**
     * @param fields     every field of the HEADERS frame, {name, value}, pseudo-headers included
     * @param bodyLength bytes of the body received (0 and no Content-Length field: none)
     */
    public static byte[] http1(List<String[]> fields, long bodyLength) throws Malformed {
        String method = null;
        String path = null;
        String authority = null;
        StringBuilder rest = new StringBuilder();
        StringBuilder cookies = null;
        boolean host = false;
        boolean length = false;
        for (String[] f : fields) {
            String name = f[0];
            String value = f[1];
            check(name, value);
            switch (name) {
                case ":method" -> method = value;
                case ":path" -> path = value;
                case ":authority" -> authority = value;
                case ":scheme" -> {}
                default -> {
                    if (name.startsWith(":")) throw new Malformed("unknown pseudo-header " + name);
                    if (ResponseHead.HOP_BY_HOP.contains(name)) continue;
                    if (name.equals("cookie")) {
                        cookies = cookies == null
                                ? new StringBuilder(value)
                                : cookies.append("; ").append(value);
                        continue;
                    }
                    if (name.equals("content-length")) {
                        // The body as received counts: it is what the handler will read.
                        length = true;
                        continue;
                    }
                    if (name.equals("host")) host = true;
                    rest.append(name).append(": ").append(value).append("\r\n");
                }
            }
        }
        if (method == null || path == null) throw new Malformed("no :method or :path");
        if (method.isEmpty() || path.isEmpty() || method.indexOf(' ') >= 0 || path.indexOf(' ') >= 0) {
            throw new Malformed("a space in :method or :path, or one is empty");
        }
        StringBuilder sb = new StringBuilder(96 + rest.length());
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (!host && authority != null) sb.append("host: ").append(authority).append("\r\n");
        sb.append(rest);
        if (cookies != null) sb.append("cookie: ").append(cookies).append("\r\n");
        if (bodyLength > 0 || length)
            sb.append("content-length: ").append(bodyLength).append("\r\n");
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Line breaks or NUL in a field would let a client write lines of its own into the head. */
    private static void check(String name, String value) throws Malformed {
        for (String s : new String[] {name, value}) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) throw new Malformed("CR, LF or NUL in field " + name);
                if (c > 0xff) throw new Malformed("a character beyond Latin-1 in field " + name);
            }
        }
    }
}
