package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WaitAnswerTest {

    private static WaitAnswer.Part part(String data, String... idCursor) {
        TreeMap<String, Cursor> ids = new TreeMap<>();
        for (int i = 0; i < idCursor.length; i += 2) ids.put(idCursor[i], Cursor.of(idCursor[i + 1]));
        return new WaitAnswer.Part(ids, data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bodyIsByteExact() {
        byte[] body =
                WaitAnswer.body(List.of(part("{\"a\":1}", "def", "30", "abc", "20"), part("[1,\n2]", "abc", "25")));
        assertEquals(
                "[\n"
                        + "  {\n"
                        + "    \"ids\": { \"abc\": \"20\", \"def\": \"30\" },\n"
                        + "    \"data\": {\"a\":1}\n"
                        + "  },\n"
                        + "  {\n"
                        + "    \"ids\": { \"abc\": \"25\" },\n"
                        + "    \"data\":\n"
                        + "[1,\n2]\n"
                        + "  }\n"
                        + "]",
                new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void rawUtf8IsSplicedUntouched() {
        String data = "{\"t\":\"Привет, мир ✓\"}";
        String body = new String(WaitAnswer.body(List.of(part(data, "x", "0010.50"))), StandardCharsets.UTF_8);
        assertEquals("[\n  {\n    \"ids\": { \"x\": \"0010.50\" },\n    \"data\": " + data + "\n  }\n]", body);
    }

    @Test
    void headIsByteExact() {
        assertEquals(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nCache-Control: no-store, no-cache, must-revalidate\r\n"
                        + "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\nContent-Type: text/javascript; charset=utf-8\r\n\r\n \r\n",
                new String(WaitAnswer.head("utf-8", ""), StandardCharsets.ISO_8859_1));
    }

    @Test
    void inAnswersCountBytes() {
        assertEquals(
                "HTTP/1.0 403 Access Deined\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\n"
                        + "unknown login: bob\n",
                new String(InAnswer.denied("unknown login: bob"), StandardCharsets.UTF_8));
        assertEquals(
                "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nя\n",
                new String(InAnswer.ok("я\n"), StandardCharsets.UTF_8));
    }

    /** The one rendering of a part that EventSource events and WebSocket frames both carry. */
    @Test
    void streamPartIsByteExact() {
        assertEquals(
                "{\"ids\":{\"abc\":\"20\",\"def\":\"30\"},\"data\":[1,\n\"я\"]}",
                WaitAnswer.streamPart(part("[1,\n\"я\"]", "def", "30", "abc", "20")));
    }

    @Test
    void plainAnswersCountBytes() {
        assertEquals(
                "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\nRetry-After: 5\r\n"
                        + "Content-Length: 5\r\n\r\nfull\n",
                new String(
                        WaitAnswer.plain("503 Service Unavailable", "Retry-After: 5\r\n", "full\n"),
                        StandardCharsets.UTF_8));
        assertEquals(
                "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nя\n",
                new String(WaitAnswer.plain("400 Bad Request", "", "я\n"), StandardCharsets.UTF_8));
    }
}
