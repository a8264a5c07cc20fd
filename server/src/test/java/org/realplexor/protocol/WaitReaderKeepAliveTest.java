package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which polls keep their connection ({@code keepalive=1}) and where such a request ends. */
class WaitReaderKeepAliveTest {
    private static final IdentifierScanner SCANNER = new IdentifierScanner("identifier", 20);
    private static final WaitReader.Rules RULES = new WaitReader.Rules("identifier", "IFRAME", "SCRIPT", 3, o -> true);

    private static byte[] b(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The step in a few words: more, close, refused, or ROUTE ids keptEnd. */
    private static String read(String input, boolean last) {
        byte[] bytes = b(input);
        WaitStep step = new WaitReader(SCANNER, RULES).read(bytes, bytes.length, last);
        if (step == WaitStep.MORE) return "more";
        if (step instanceof WaitStep.Done d) {
            return d.request().route() + " "
                    + String.join(",", d.request().ids().keySet()) + " "
                    + d.request().keptEnd();
        }
        return step instanceof WaitStep.Refused r ? r.status() : "close";
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // a GET poll ends at its head: what follows is the next poll, not this one's list
                "GET /?identifier=a&keepalive=1 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|false|LONG_POLL a 52",
                "GET /?identifier=a&keepalive=1 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET /?identifier=b&keepalive=1 HTTP/1.1\\r\\n|false|LONG_POLL a 52",
                "GET /?keepalive=1&identifier=a&callback=f HTTP/1.1\\r\\n\\r\\n|false|JSONP a 54",
                // a POST poll ends where its Content-Length says; until then, more
                "POST /?keepalive=1 HTTP/1.1\\r\\nContent-Length: 12\\r\\n\\r\\nidentifier=a|false|LONG_POLL a 63",
                "POST /?keepalive=1 HTTP/1.1\\r\\nContent-Length: 13\\r\\n\\r\\nidentifier=a|false|more",
                "POST /?keepalive=1 HTTP/1.1\\r\\nContent-Length: 13\\r\\n\\r\\nidentifier=a|true|close",
                "POST /?keepalive=1 HTTP/1.1\\r\\nContent-Length: 13\\r\\n\\r\\nidentifier=a\\nGET /?identifier=b|false|LONG_POLL a 64",
                // no opt-in: read as ever
                "GET /?identifier=a&keepalive=0 HTTP/1.1\\r\\n\\r\\n|false|LONG_POLL a -1",
                "GET /?identifier=a&keepalive=1 HTTP/1.0\\r\\n\\r\\n|false|LONG_POLL a -1",
                "GET /?identifier=a&keepalive=1 HTTP/1.1\\r\\nConnection: Close\\r\\n\\r\\n|false|LONG_POLL a -1",
                "POST /?keepalive=1 HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nidentifier=a\\n|false|LONG_POLL a -1",
                "POST /?keepalive=1 HTTP/1.1\\r\\nContent-Length: x\\r\\n\\r\\nidentifier=a\\n|false|LONG_POLL a -1",
                "GET /?identifier=a HTTP/1.1\\r\\nX: keepalive=1\\r\\n\\r\\n|false|LONG_POLL a -1",
                "identifier=a&keepalive=1\\n|false|LONG_POLL a -1",
                // streams and pages are never kept
                "GET /?identifier=a&keepalive=1 HTTP/1.1\\r\\nAccept: text/event-stream\\r\\n\\r\\n|false|SSE a -1",
                "GET /?identifier=IFRAME&keepalive=1 HTTP/1.1\\r\\n\\r\\n|false|IFRAME  -1",
            })
    void keptRequests(String input, boolean last, String expected) {
        assertEquals(expected, read(input, last), input);
    }
}
