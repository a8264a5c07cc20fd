package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InCommandAndRawRequestTest {

    private static byte[] b(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "ONLINE ~ true ~ ONLINE[]",
                "online\\n ~ false ~ ONLINE[]",
                "ONLINE abc_ def\\n ~ false ~ ONLINE[abc_, def]",
                "WATCH 12 a b ~ true ~ WATCH[12, a, b]",
                "watch  0\\r\\n ~ false ~ WATCH[0]",
                "STATS\\n ~ false ~ STATS[]",
                "Stats ~ true ~ STATS[]",
                "ONLINEX ~ true ~ null",
                "WATCHING 1 ~ true ~ null",
                "POST / HTTP/1.1 ~ true ~ null",
                "' ONLINE' ~ true ~ null",
            })
    void commands(String raw, boolean atEnd, String expected) {
        byte[] bytes = b(raw);
        InCommand c = InCommand.at(bytes, 0, bytes.length, atEnd);
        assertEquals(expected, c == null ? "null" : c.name() + c.args());
    }

    @ParameterizedTest
    @CsvSource({"'ONLINE abc', false", "'ONLINE abc\\n', true", "'WATCH', true"})
    void commandLineCompletes(String raw, boolean complete) {
        byte[] bytes = b(raw);
        assertEquals(complete, InCommand.at(bytes, 0, bytes.length, false).complete() || raw.equals("WATCH"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "POST / HTTP/1.1\\r\\nA: b\\r\\n\\r\\nbody ~ 25",
                "POST / HTTP/1.1\\nA: b\\n\\nbody ~ 22",
                "A: b\\r\\n\\nbody ~ 7",
                "A: b\\r\\n ~ -1",
                "\\n\\nbody ~ 2",
            })
    void bodyStart(String raw, int expected) {
        byte[] bytes = b(raw);
        assertEquals(expected, RawRequest.bodyStart(bytes, bytes.length));
        // Searched again after each byte, resuming two bytes back, the blank line is found at the same place.
        int found = -1;
        for (int len = 1, searched = 0; len <= bytes.length && found < 0; len++) {
            found = RawRequest.bodyStart(bytes, Math.max(0, searched - 2), len);
            searched = len;
        }
        assertEquals(expected, found, "byte by byte");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "GET /?identifier=a HTTP/1.1 ~ true",
                "OPTIONS /?identifier=a ~ true",
                "'GET ' ~ true",
                "GET /?identifier=a HTTP/1.1\\r\\n ~ false",
                "identifier=a ~ false",
                "get /?identifier=a ~ false",
                "GET ~ false",
                "' GET /?identifier=a' ~ false",
            })
    void aRequestLineWithoutItsLineEndIsInProgress(String raw, boolean expected) {
        byte[] bytes = b(raw);
        assertEquals(expected, RawRequest.requestLineInProgress(bytes, bytes.length), raw);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "GET /?identifier=a HTTP/1.1\\r\\nOrigin: http://x.test\\r\\n\\r\\n ~ GET ~ http://x.test",
                "OPTIONS / HTTP/1.1\\r\\norigin:  https://y \\r\\n\\r\\n ~ OPTIONS ~ https://y",
                "identifier=a\\nOrigin: z\\n ~ null ~ z",
                "get / HTTP/1.1\\r\\n\\r\\n ~ null ~ null",
                "GET /\\r\\n ~ null ~ null",
            })
    void methodAndHeaders(String raw, String method, String origin) {
        byte[] bytes = b(raw);
        assertEquals(method, String.valueOf(RawRequest.method(bytes, bytes.length)));
        assertEquals(origin, String.valueOf(RawRequest.header(bytes, bytes.length, "Origin")));
        assertNull(RawRequest.header(bytes, bytes.length, "Referer"));
    }

    @Test
    void severalHeadersInOnePassTakeTheFirstOfEach() {
        byte[] bytes = b("GET / HTTP/1.1\r\nACCEPT: text/event-stream\r\nOrigin: http://a\r\nX-Origin: no\r\n"
                + "origin: http://second\r\nContent-Length:  0 \r\n\r\n");
        assertEquals(
                java.util.Arrays.asList("http://a", null, "text/event-stream", "0"),
                java.util.Arrays.asList(
                        RawRequest.headers(bytes, bytes.length, "Origin", "Upgrade", "Accept", "Content-Length")));
        for (String name : new String[] {"Origin", "Upgrade", "Accept", "Content-Length", "X-Origin"}) {
            assertEquals(
                    RawRequest.header(bytes, bytes.length, name),
                    RawRequest.headers(bytes, bytes.length, name)[0],
                    name);
        }
    }
}
