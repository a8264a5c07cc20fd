package org.realplexor.e2e;

import java.util.ArrayList;
import java.util.List;

/** The exact bytes PROTOCOL.md promises, built from their parts. */
final class Expect {
    private Expect() {}

    /** The WAIT head (PROTOCOL.md §4), sent at once on registration. */
    static final String HEAD = "HTTP/1.1 200 OK\r\n"
            + "Connection: close\r\n"
            + "Cache-Control: no-store, no-cache, must-revalidate\r\n"
            + "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\n"
            + "Content-Type: text/javascript; charset=utf-8\r\n"
            + "\r\n";

    /** The head is followed at once by a space and CRLF. */
    static final String HEAD_SPACE = HEAD + " \r\n";

    /** An IN answer: 200 with a byte-exact Content-Length (PROTOCOL.md §3, §5). */
    static String ok(String body) {
        return frame("200 OK", body);
    }

    /** The 403 answer, typo included. */
    static String denied(String body) {
        return frame("403 Access Deined", body);
    }

    private static String frame(String status, String body) {
        return "HTTP/1.0 " + status + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + Bytes.utf8(body).length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body;
    }

    /** A WAIT answer body: parts joined as the original printed them. */
    static String answer(String... parts) {
        return "[\n" + String.join(",\n", parts) + "\n]";
    }

    /**
     * One part of a WAIT answer.
     *
     * @param idCursor id, cursor, id, cursor, ... in the order they must appear
     */
    static String part(String data, String... idCursor) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < idCursor.length; i += 2) {
            ids.add("\"" + idCursor[i] + "\": \"" + idCursor[i + 1] + "\"");
        }
        return "  {\n"
                + "    \"ids\": { " + String.join(", ", ids) + " },\n"
                + "    \"data\":" + (data.contains("\n") ? "\n" : " ") + data + "\n"
                + "  }";
    }
}
