package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WaitReaderTest {
    private static final IdentifierScanner SCANNER = new IdentifierScanner("identifier", 20);
    private static final WaitReader.Rules RULES =
            new WaitReader.Rules("identifier", "IFRAME", "SCRIPT", 3, origin -> origin.equals("http://good.com"));
    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\n";

    private static byte[] b(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The step in a few words: more, close, 400 REASON, ROUTE ids origin=... cb=...; then " over" if the request is known to be over. */
    private static String describe(WaitStep step, WaitReader r) {
        String s;
        if (step == WaitStep.MORE) return "more";
        if (step == WaitStep.CLOSE) {
            s = "close";
        } else if (step instanceof WaitStep.Refused x) {
            s = x.status().substring(0, 3) + " " + x.reason();
        } else {
            WaitRequest req = ((WaitStep.Done) step).request();
            s = req.route() + " "
                    + req.ids().entrySet().stream()
                            .map(e -> (e.getValue() == null ? "" : e.getValue().text() + ":") + e.getKey())
                            .collect(Collectors.joining(","))
                    + (req.origin() == null ? "" : " origin=" + req.origin())
                    + (req.callback() == null ? "" : " cb=" + req.callback());
        }
        return s + (r.requestOver() ? " over" : "");
    }

    private static String onePiece(byte[] all, int len, boolean last) {
        WaitReader r = new WaitReader(SCANNER, RULES);
        return describe(r.read(Arrays.copyOf(all, len + 5), len, last), r);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "GET poll ~ GET /?identifier=a,12:b HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n ~ false ~ LONG_POLL a,12:b over",
                "raw poll ~ identifier=a\\n ~ false ~ LONG_POLL a",
                "raw list unfinished ~ identifier=abc ~ false ~ more",
                "raw list cut by the end ~ identifier=abc ~ true ~ close",
                "head unfinished ~ GET /?identifier=a HTTP/1.1\\r\\nHost: x\\r\\n ~ false ~ more",
                "head cut by the end ~ GET /?identifier=a HTTP/1.1\\r\\nHost: x\\r\\n ~ true ~ LONG_POLL a",
                "request line unfinished ~ GET /?identifier=a ~ false ~ more",
                "request line cut by the end ~ GET /?identifier=a ~ true ~ close",
                "TLS handshake ~ '\u0016\u0003\u0001\u0002\u0000' ~ false ~ 400 this port speaks plain HTTP: a TLS handshake is not a request here",
                "HTTP/2 preface ~ PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n ~ false ~ 400 HTTP/2 without TLS is not spoken here: send HTTP/1.1",
                "binary ~ '\u0001identifier=a\\n' ~ false ~ 400 not an HTTP request (binary data)",
                "no identifier ~ GET / HTTP/1.1\\r\\n\\r\\n ~ false ~ 400 no identifier=... in the request (e.g. GET /?identifier=ID)",
                "no identifier, at the end ~ GET / HTTP/1.1\\r\\n\\r\\n ~ true ~ close",
                "Referer lines are skipped ~ GET / HTTP/1.1\\r\\nReferer: http://x/?identifier=a\\r\\n\\r\\n ~ false ~ 400 no identifier=... in the request (e.g. GET /?identifier=ID)",
                "POST poll, the list is the body ~ POST / HTTP/1.1\\r\\nContent-Length: 12\\r\\n\\r\\nidentifier=a ~ false ~ LONG_POLL a",
                "POST poll, body to come ~ POST / HTTP/1.1\\r\\nContent-Length: 12\\r\\n\\r\\nident ~ false ~ more",
                "POST without a length ~ POST / HTTP/1.1\\r\\n\\r\\n ~ false ~ more",
                "preflight ~ OPTIONS / HTTP/1.1\\r\\nOrigin: http://a.b\\r\\n\\r\\n ~ false ~ PREFLIGHT  origin=http://a.b over",
                "an id too long ~ GET /?identifier=abcdefghijklmnopqrstuvwxyz HTTP/1.1\\r\\n\\r\\n ~ false ~ 400 an id of 26 characters is longer than MAX_ID_LENGTH (20) over",
                "no well-formed item ~ GET /?identifier=!x HTTP/1.1\\r\\n\\r\\n ~ false ~ close over",
                "IFRAME ~ GET /?identifier=IFRAME HTTP/1.1\\r\\nOrigin: http://good.com\\r\\n\\r\\n ~ false ~ IFRAME  origin=http://good.com over",
                "SCRIPT ~ GET /?identifier=SCRIPT,a HTTP/1.1\\r\\n\\r\\n ~ false ~ SCRIPT  over",
                "too many ids ~ GET /?identifier=a,b,c,d HTTP/1.1\\r\\n\\r\\n ~ false ~ 400 4 ids in one request; at most WAIT_MAX_IDS (3) may be listened to on one connection over",
                "repeated ids count once, last cursor ~ GET /?identifier=1:a,b,2:a,a,3:a HTTP/1.1\\r\\n\\r\\n ~ false ~ LONG_POLL 3:a,b over",
                "WebSocket ~ GET /?identifier=a HTTP/1.1\\r\\nUpgrade: WebSocket\\r\\n" + KEY
                        + "Sec-WebSocket-Version: 13\\r\\n\\r\\n ~ false ~ WEBSOCKET a over",
                "WebSocket, allowed origin ~ GET /?identifier=a HTTP/1.1\\r\\nOrigin: http://good.com\\r\\nUpgrade: websocket\\r\\n"
                        + KEY
                        + "Sec-WebSocket-Version: 13\\r\\n\\r\\n ~ false ~ WEBSOCKET a origin=http://good.com over",
                "WebSocket, other origin ~ GET /?identifier=a HTTP/1.1\\r\\nOrigin: http://evil.com\\r\\nUpgrade: websocket\\r\\n\\r\\n ~ false ~ 403 origin http://evil.com is not in CORS_ORIGINS over",
                "WebSocket, malformed origin ~ GET /?identifier=a HTTP/1.1\\r\\nOrigin: evil\\r\\nUpgrade: websocket\\r\\n\\r\\n ~ false ~ 403 the Origin header is not a serialized origin (RFC 6454, 6.2) over",
                "WebSocket, old version ~ GET /?identifier=a HTTP/1.1\\r\\nUpgrade: websocket\\r\\n" + KEY
                        + "Sec-WebSocket-Version: 8\\r\\n\\r\\n ~ false ~ 426 WebSocket needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13 over",
                "WebSocket, bad key ~ GET /?identifier=a HTTP/1.1\\r\\nUpgrade: websocket\\r\\nSec-WebSocket-Key: abc\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n ~ false ~ 400 Sec-WebSocket-Key must be 16 bytes in base64 (RFC 6455, 4.1) over",
                "too many ids before WebSocket checks ~ GET /?identifier=a,b,c,d HTTP/1.1\\r\\nUpgrade: websocket\\r\\n\\r\\n ~ false ~ 400 4 ids in one request; at most WAIT_MAX_IDS (3) may be listened to on one connection over",
                "EventSource resumes from Last-Event-ID ~ GET /?identifier=1:a,b HTTP/1.1\\r\\nAccept: text/event-stream\\r\\nLast-Event-ID: 5:a,7:b,9:c\\r\\n\\r\\n ~ false ~ SSE 5:a,7:b over",
                "EventSource ignores callback ~ GET /?identifier=a&callback=1x HTTP/1.1\\r\\nAccept: text/event-stream\\r\\n\\r\\n ~ false ~ SSE a over",
                "JSONP ~ GET /?identifier=a&callback=cb.x HTTP/1.1\\r\\n\\r\\n ~ false ~ JSONP a cb=cb.x over",
                "JSONP refused ~ GET /?identifier=a&callback=1x HTTP/1.1\\r\\n\\r\\n ~ false ~ 400 callback names must not start with a digit over",
                "raw request: no callback ~ identifier=a&callback=cb\\n ~ false ~ LONG_POLL a",
                "CORS poll ~ GET /?identifier=a HTTP/1.1\\r\\nOrigin: http://good.com\\r\\n\\r\\n ~ false ~ LONG_POLL a origin=http://good.com over",
                "stray bytes after the head ~ GET /?identifier=a HTTP/1.1\\r\\n\\r\\n\\r\\n ~ false ~ LONG_POLL a",
            })
    void decidesOneRequestPerRow(String name, String raw, boolean last, String expected) {
        byte[] all = b(raw);
        assertEquals(expected, onePiece(all, all.length, last));
    }

    /**
     * Every request of the table split in two at every byte: the reader fed the first piece, then
     * both, says after each what a fresh reader fed the same bytes in one piece says.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "GET poll ~ GET /?identifier=a,12:b HTTP/1.1\\r\\nHost: x\\r\\nOrigin: http://good.com\\r\\n\\r\\n ~ false",
                "bare LF ~ GET /?identifier=a HTTP/1.1\\nHost: x\\n\\n ~ false",
                "raw ~ identifier=bob:pw@a,*b\\n ~ false",
                "raw at the end ~ identifier=abc ~ true",
                "POST ~ POST / HTTP/1.1\\r\\nContent-Length: 12\\r\\n\\r\\nidentifier=a ~ false",
                "preflight ~ OPTIONS / HTTP/1.1\\r\\nOrigin: http://a.b\\r\\nAccess-Control-Request-Headers: x\\r\\n\\r\\n ~ false",
                "WebSocket ~ GET /?identifier=a HTTP/1.1\\r\\nUpgrade: websocket\\r\\n" + KEY
                        + "Sec-WebSocket-Version: 13\\r\\n\\r\\n ~ false",
                "EventSource ~ GET /?identifier=1:a,b HTTP/1.1\\r\\nAccept: text/event-stream\\r\\nLast-Event-ID: 5:a\\r\\n\\r\\n ~ false",
                "JSONP ~ GET /?identifier=a&callback=cb HTTP/1.1\\r\\n\\r\\n ~ false",
                "no identifier ~ GET /x HTTP/1.1\\r\\nHost: y\\r\\n\\r\\n ~ false",
                "TLS ~ '\u0016\u0003\u0001\u0002\u0000' ~ false",
            })
    void decidesTheSameAtEverySplit(String name, String raw, boolean last) {
        byte[] all = b(raw);
        String whole = onePiece(all, all.length, last);
        for (int k = 0; k <= all.length; k++) {
            WaitReader r = new WaitReader(SCANNER, RULES);
            String first = describe(r.read(Arrays.copyOf(all, k + 3), k, false), r);
            assertEquals(onePiece(all, k, false), first, name + ": the first " + k + " bytes");
            if (!first.equals("more")) continue; // decided: nothing more is read
            assertEquals(
                    whole,
                    describe(r.read(Arrays.copyOf(all, all.length + 3), all.length, last), r),
                    name + ": split at " + k);
        }
    }

    @Test
    void theRequestGivesItsHeadersAndQuery() {
        byte[] all = b("GET /?identifier=a&token=t%2Bx+y&e=5 HTTP/1.1\\r\\nX-Sig: abc\\r\\n\\r\\n");
        WaitRequest req = ((WaitStep.Done) new WaitReader(SCANNER, RULES).read(all, all.length, false)).request();
        assertEquals("abc", req.header("x-sig"));
        assertEquals("t+x y", req.param("token"));
        assertEquals("5", req.param("e"));
        assertNull(req.param("x"));
        assertEquals("[a]", Arrays.toString(req.idArray()));
        byte[] raw = b("identifier=a&token=t\\nX-Sig: abc\\n");
        WaitRequest r = ((WaitStep.Done) new WaitReader(SCANNER, RULES).read(raw, raw.length, false)).request();
        assertNull(r.header("X-Sig"), "a raw request has no headers");
        assertNull(r.param("token"), "nor a query");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '~',
            nullValues = "null",
            value = {
                "GET /?a=1&b=2 HTTP/1.1 ~ b ~ 2",
                "GET /?a=1&a=2 HTTP/1.1 ~ a ~ 1",
                "GET /?ab=1 HTTP/1.1 ~ a ~ null",
                "GET /?a HTTP/1.1 ~ a ~ null",
                "GET /?a= HTTP/1.1 ~ a ~ ''",
                "GET /?a=%41%zz HTTP/1.1 ~ a ~ null",
                "GET /?x=1#a=2 HTTP/1.1 ~ a ~ null",
                "GET /path HTTP/1.1 ~ a ~ null",
                "GET /?a=1+2 HTTP/1.1 ~ a ~ 1 2",
            })
    void queryParameters(String line, String name, String expected) {
        byte[] all = b(line + "\\r\\n\\r\\n");
        assertEquals(expected, RawRequest.queryParam(all, all.length, name));
    }
}
