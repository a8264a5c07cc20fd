package org.realplexor.net.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseHeadTest {

    /** | stands for CRLF, {} for ';' (the table's delimiter). */
    private static byte[] bytes(String s) {
        return s.replace("|", "\r\n").replace("{}", ";").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** head (| for CRLF) ; where it ends (-1: not yet) */
    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "HTTP/1.1 200 OK||;19",
                "HTTP/1.1 200 OK||body;19",
                "HTTP/1.1 200 OK|A: b||;25",
                "HTTP/1.1 200 OK|A: b|;-1",
                "HTTP/1.1 200 OK|A: b|\r;-1",
                "'';-1",
            })
    void endOfTheHead(String head, int end) {
        byte[] b = bytes(head);
        assertEquals(end, ResponseHead.end(b, b.length));
    }

    /** head (| for CRLF) ; status ; headers as name=value, space-separated ; Content-Length ; chunked */
    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                // a long-poll's head: Connection goes, the rest stays, names in lower case
                "HTTP/1.1 200 OK|Connection: close|Cache-Control: no-store|Content-Type: text/javascript{}charset=utf-8||;"
                        + "200;cache-control=no-store content-type=text/javascript,charset=utf-8;-1;false",
                // a static page: its length is kept
                "HTTP/1.1 200 OK|Connection: close|Content-Type: text/html|Content-Length: 42||;200;content-type=text/html content-length=42;42;false",
                "HTTP/1.1 503 Service Unavailable|Retry-After: 5|Keep-Alive: timeout=5||;503;retry-after=5;-1;false",
                "HTTP/1.0 400 Bad Request|Content-Length: 0||;400;content-length=0;0;false",
                "HTTP/1.1 200 OK|Transfer-Encoding: chunked|Upgrade: x|TE: trailers|Proxy-Connection: x||;200;'';-1;true",
                "HTTP/1.1 204 No Content|X-Spaced :  v  ||;204;x-spaced=v;-1;false",
            })
    void parses(String head, int status, String headers, long length, boolean chunked) throws Exception {
        byte[] b = bytes(head);
        ResponseHead h = ResponseHead.parse(b, ResponseHead.end(b, b.length));
        assertEquals(status, h.status());
        assertEquals(
                headers,
                h.headers().stream()
                        .map(f -> f[0] + "=" + f[1].replace(';', ','))
                        .collect(Collectors.joining(" ")));
        assertEquals(length, h.contentLength());
        assertEquals(chunked, h.chunked());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "HTTP/2 200||",
                "ICY 200 OK||",
                "HTTP/1.1 abc OK||",
                "HTTP/1.1 101 Switching Protocols|Upgrade: websocket||",
                "HTTP/1.1 200 OK|no colon here||",
                "HTTP/1.1 200 OK|Content-Length: ten||",
            })
    void refuses(String head) {
        byte[] b = bytes(head);
        assertThrows(ResponseHead.Malformed.class, () -> ResponseHead.parse(b, b.length));
    }
}
