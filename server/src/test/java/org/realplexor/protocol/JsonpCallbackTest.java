package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonpCallbackTest {

    /** Renders a result as "NONE", "OK name" or "400 refusal". */
    private static String render(JsonpCallback c) {
        if (c.refused()) return "400 " + c.refusal();
        return c.present() ? "OK " + c.name() : "NONE";
    }

    private static String inRequest(String raw) {
        byte[] b = raw.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
        return render(JsonpCallback.inRequestLine(b, b.length));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '~',
            quoteCharacter = '`',
            value = {
                "cb ~ OK cb",
                "jQuery123_456 ~ OK jQuery123_456",
                "window.app.onData ~ OK window.app.onData",
                "$ ~ OK $",
                "_ ~ OK _",
                "$.fn._x1 ~ OK $.fn._x1",
                "a1.b2.c3 ~ OK a1.b2.c3",
                "Function ~ OK Function",
                "newX.importY.thisZ ~ OK newX.importY.thisZ",
                "`` ~ 400 callback is empty",
                "a.b( ~ 400 callback may hold only letters, digits, _, $ and dots, not '('",
                "a[0] ~ 400 callback may hold only letters, digits, _, $ and dots, not '['",
                "a['b'] ~ 400 callback may hold only letters, digits, _, $ and dots, not '['",
                "\"x\" ~ 400 callback may hold only letters, digits, _, $ and dots, not '\"'",
                "alert(1);cb ~ 400 callback may hold only letters, digits, _, $ and dots, not '('",
                "a b ~ 400 callback may hold only letters, digits, _, $ and dots, not U+0020",
                "a-b ~ 400 callback may hold only letters, digits, _, $ and dots, not '-'",
                "a/**/ ~ 400 callback may hold only letters, digits, _, $ and dots, not '/'",
                "caf\u00e9 ~ 400 callback may hold only letters, digits, _, $ and dots, not U+00E9",
                "a\u2028b ~ 400 callback may hold only letters, digits, _, $ and dots, not U+2028",
                ".a ~ 400 callback has an empty name between dots",
                "a. ~ 400 callback has an empty name between dots",
                "a..b ~ 400 callback has an empty name between dots",
                ". ~ 400 callback has an empty name between dots",
                "1cb ~ 400 callback names must not start with a digit",
                "a.0 ~ 400 callback names must not start with a digit",
                "import ~ 400 callback must not use the reserved word import",
                "new.target ~ 400 callback must not use the reserved word new",
                "this.x ~ 400 callback must not use the reserved word this",
                "a.delete ~ 400 callback must not use the reserved word delete",
                "typeof ~ 400 callback must not use the reserved word typeof",
                "void ~ 400 callback must not use the reserved word void",
                "super.x ~ 400 callback must not use the reserved word super",
                "await ~ 400 callback must not use the reserved word await",
                "yield ~ 400 callback must not use the reserved word yield",
                "null ~ 400 callback must not use the reserved word null",
            })
    void names(String value, String expected) {
        assertEquals(expected, render(JsonpCallback.of(value)));
    }

    @Test
    void lengthLimit() {
        String longest = "a".repeat(JsonpCallback.MAX_LENGTH);
        assertEquals("OK " + longest, render(JsonpCallback.of(longest)));
        assertEquals("OK " + "ab.".repeat(42) + "ab", render(JsonpCallback.of("ab.".repeat(42) + "ab")));
        assertEquals("400 callback is longer than 128 characters", render(JsonpCallback.of(longest + "a")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            quoteCharacter = '`',
            value = {
                "GET /?identifier=abc&callback=cb HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n ~ OK cb",
                "GET /?callback=cb&identifier=abc HTTP/1.1\\r\\n\\r\\n ~ OK cb",
                "GET /path/x?identifier=abc&callback=window.app.onData&ncrnd=1 HTTP/1.1\\r\\n ~ OK window.app.onData",
                "GET /?identifier=abc&callback=jQuery123_456&_=1700000000 HTTP/1.0\\n\\n ~ OK jQuery123_456",
                "POST /?callback=cb HTTP/1.1\\r\\nContent-Length: 15\\r\\n\\r\\nidentifier=abc\\n ~ OK cb",
                "GET /?identifier=abc&callback=a%2Eb HTTP/1.1\\r\\n ~ OK a.b",
                "GET /?identifier=abc&callback=%24 HTTP/1.1\\r\\n ~ OK $",
                "GET /?identifier=abc&callback=cb#frag HTTP/1.1\\r\\n ~ OK cb",
                // absent: no parameter, another parameter that contains the word, or not in the query
                "GET /?identifier=abc HTTP/1.1\\r\\n\\r\\n ~ NONE",
                "GET /?identifier=abc&xcallback=cb&callbacks=cb HTTP/1.1\\r\\n ~ NONE",
                "GET /callback=cb?identifier=abc HTTP/1.1\\r\\n ~ NONE",
                "GET /?identifier=abc HTTP/1.1\\r\\nX-Callback: callback=cb\\r\\n\\r\\n ~ NONE",
                "POST / HTTP/1.1\\r\\n\\r\\nidentifier=abc&callback=cb\\n ~ NONE",
                "GET /?identifier=abc&Callback=cb HTTP/1.1\\r\\n ~ NONE",
                "GET / HTTP/1.1\\r\\n ~ NONE",
                "identifier=abc\\n ~ NONE",
                // refused
                "GET /?identifier=abc&callback= HTTP/1.1\\r\\n ~ 400 callback is empty",
                "GET /?identifier=abc&callback HTTP/1.1\\r\\n ~ 400 callback has no value",
                "GET /?identifier=abc&callback=a&callback=a HTTP/1.1\\r\\n ~ 400 callback is given more than once",
                "GET /?identifier=abc&callback=alert(1) HTTP/1.1\\r\\n ~ 400 callback may hold only letters, digits, _, $ and dots, not '('",
                "GET /?identifier=abc&callback=a%28 HTTP/1.1\\r\\n ~ 400 callback may hold only letters, digits, _, $ and dots, not '('",
                "GET /?identifier=abc&callback=a+b HTTP/1.1\\r\\n ~ 400 callback may hold only letters, digits, _, $ and dots, not U+0020",
                "GET /?identifier=abc&callback=a%0Ab HTTP/1.1\\r\\n ~ 400 callback may hold only letters, digits, _, $ and dots, not U+000A",
                "GET /?identifier=abc&callback=%E2%80%A8 HTTP/1.1\\r\\n ~ 400 callback may hold only letters, digits, _, $ and dots, not U+00E2",
                "GET /?identifier=abc&callback=a%2 HTTP/1.1\\r\\n ~ 400 callback has a malformed %-escape",
                "GET /?identifier=abc&callback=a%zz HTTP/1.1\\r\\n ~ 400 callback has a malformed %-escape",
                "GET /?identifier=abc&callback=import HTTP/1.1\\r\\n ~ 400 callback must not use the reserved word import",
            })
    void requestLines(String raw, String expected) {
        assertEquals(expected.trim(), inRequest(raw.trim()));
    }

    @Test
    void aRequestWithoutTheParameterGetsTheSharedNone() {
        byte[] b = "GET /?identifier=abc&ncrnd=1 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertSame(JsonpCallback.NONE, JsonpCallback.inRequestLine(b, b.length));
    }

    @Test
    void onlyTheValidBytesCount() {
        byte[] b = "GET /?identifier=abc&callback=cb HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("NONE", render(JsonpCallback.inRequestLine(b, "GET /?identifier=abc".length())));
        assertTrue(JsonpCallback.inRequestLine(b, b.length).present());
    }

    @Test
    void theAnswerWrapsTheBody() {
        assertEquals("cb(", new String(WaitAnswer.jsonpOpen("cb"), StandardCharsets.ISO_8859_1));
        assertEquals(");", new String(WaitAnswer.jsonpClose(), StandardCharsets.ISO_8859_1));
        String head = new String(WaitAnswer.jsonpHead("utf-8", ""), StandardCharsets.ISO_8859_1);
        assertEquals(
                "HTTP/1.1 200 OK\r\n"
                        + "Connection: close\r\n"
                        + "Cache-Control: no-store, no-cache, must-revalidate\r\n"
                        + "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\n"
                        + "Content-Type: application/javascript; charset=utf-8\r\n"
                        + "X-Content-Type-Options: nosniff\r\n"
                        + "\r\n"
                        + " \r\n",
                head);
    }
}
