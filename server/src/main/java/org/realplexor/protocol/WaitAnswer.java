package org.realplexor.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Prints the bytes of the WAIT line: the head that goes out as soon as a poll registers, and the
 * JSON array that answers it. Byte-exact with the original, which clients and their tests rely on.
 */
public final class WaitAnswer {
    private WaitAnswer() {}

    /** The head plus the " \r\n" that follows it; CORS lines (may be empty) go before the blank line. */
    public static byte[] head(String charset, String extraHeaders) {
        return headWith("text/javascript; charset=" + charset + "\r\n", extraHeaders);
    }

    /**
     * The head of a JSONP poll (ours): the same lines, but the registered script type, and
     * nosniff so that a browser runs the answer only as the script it says it is.
     */
    public static byte[] jsonpHead(String charset, String extraHeaders) {
        return headWith(
                "application/javascript; charset=" + charset + "\r\nX-Content-Type-Options: nosniff\r\n", extraHeaders);
    }

    /**
     * The head of a poll that keeps its connection (ours, {@code keepalive=1}), up to and including
     * {@code Content-Length: }: the caller appends the body's length, {@code \r\n\r\n}, then the
     * body, which is a poll's as ever (the {@code " \r\n"}, then the answer, if any).
     */
    public static byte[] keptHeadStart(String charset, boolean jsonp, String extraHeaders) {
        String contentType = jsonp
                ? "application/javascript; charset=" + charset + "\r\nX-Content-Type-Options: nosniff\r\n"
                : "text/javascript; charset=" + charset + "\r\n";
        String s = "HTTP/1.1 200 OK\r\n"
                + "Connection: keep-alive\r\n"
                + "Cache-Control: no-store, no-cache, must-revalidate\r\n"
                + "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\n"
                + "Content-Type: " + contentType
                + extraHeaders
                + "Content-Length: ";
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] headWith(String contentType, String extraHeaders) {
        String s = "HTTP/1.1 200 OK\r\n"
                + "Connection: close\r\n"
                + "Cache-Control: no-store, no-cache, must-revalidate\r\n"
                + "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\n"
                + "Content-Type: " + contentType
                + extraHeaders
                + "\r\n"
                + " \r\n";
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A whole text/plain answer: a refusal, a timeout, the line being full.
     *
     * @param headers extra header lines, each ending with CRLF (may be empty)
     */
    public static byte[] plain(String status, String headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ("HTTP/1.1 " + status + "\r\nConnection: close\r\nContent-Type: text/plain\r\n" + headers
                        + "Content-Length: " + bytes.length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** What a JSONP answer puts before the body: {@code NAME(} (NAME checked by {@link JsonpCallback}). */
    public static byte[] jsonpOpen(String callback) {
        return (callback + "(").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What a JSONP answer puts after the body: {@code );}. */
    public static byte[] jsonpClose() {
        return new byte[] {')', ';'};
    }

    /** One part of the answer: a message and the listener's ids it came under, sorted by id. */
    public record Part(Map<String, Cursor> ids, byte[] data) {}

    /**
     * How many of {@code parts}, from the first, fit in about {@code maxBytes} of answer: at
     * least one, so that a message larger than the limit still goes out (alone).
     */
    public static int partsWithin(List<Part> parts, int maxBytes) {
        long size = 4;
        for (int n = 0; n < parts.size(); n++) {
            Part p = parts.get(n);
            size += 40 + p.data().length;
            for (Map.Entry<String, Cursor> e : p.ids().entrySet())
                size += 8 + e.getKey().length() + e.getValue().text().length();
            if (size > maxBytes && n > 0) return n;
        }
        return parts.size();
    }

    /** {@code [\n} + parts joined by {@code ,\n} + {@code \n]}; parts already in answer order. */
    public static byte[] body(List<Part> parts) {
        int size = 4;
        for (Part p : parts) size += 64 + p.data().length + 40 * p.ids().size();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size);
        write(out, "[\n");
        boolean first = true;
        for (Part p : parts) {
            if (!first) write(out, ",\n");
            first = false;
            writePart(out, p);
        }
        write(out, "\n]");
        return out.toByteArray();
    }

    private static void writePart(java.io.ByteArrayOutputStream out, Part p) {
        StringBuilder ids = new StringBuilder("  {\n    \"ids\": { ");
        boolean first = true;
        for (Map.Entry<String, Cursor> e : p.ids().entrySet()) {
            if (!first) ids.append(", ");
            first = false;
            ids.append('"')
                    .append(e.getKey())
                    .append("\": \"")
                    .append(e.getValue().text())
                    .append('"');
        }
        ids.append(" },\n    \"data\":").append(contains(p.data(), (byte) '\n') ? '\n' : ' ');
        write(out, ids.toString());
        out.write(p.data(), 0, p.data().length);
        write(out, "\n  }");
    }

    /**
     * One part as the streams carry it, an EventSource event's data and a WebSocket frame alike:
     * {@code {"ids":{"ID":"CURSOR",...},"data":DATA}}, the data verbatim (published bodies are
     * checked UTF-8).
     */
    public static String streamPart(Part p) {
        return "{\"ids\":" + idsJson(p.ids()) + ",\"data\":" + new String(p.data(), StandardCharsets.UTF_8) + "}";
    }

    /** A JSON object of id to cursor string, as the streaming transports print it. */
    public static String idsJson(Map<String, Cursor> ids) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Cursor> e : ids.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append('"')
                    .append(e.getKey())
                    .append("\":\"")
                    .append(e.getValue().text())
                    .append('"');
        }
        return sb.append('}').toString();
    }

    static boolean contains(byte[] data, byte b) {
        for (byte x : data) if (x == b) return true;
        return false;
    }

    private static void write(java.io.ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
    }
}
