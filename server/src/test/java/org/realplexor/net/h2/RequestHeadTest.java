package org.realplexor.net.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestHeadTest {

    /** "name=value" pairs separated by " & " (a value may hold spaces). */
    private static List<String[]> fields(String s) {
        List<String[]> out = new ArrayList<>();
        for (String f : s.split(" & ")) {
            int eq = f.indexOf('=', 1);
            // {} stands for ';' (the table's delimiter), {CRLF}, {LF}, {NUL} for what a table cannot hold
            String value = f.substring(eq + 1)
                    .replace("{}", ";")
                    .replace("{CRLF}", "\r\n")
                    .replace("{LF}", "\n")
                    .replace("{NUL}", "\0");
            out.add(new String[] {f.substring(0, eq), value});
        }
        return out;
    }

    /** fields ; body length ; the HTTP/1.1 head (| for CRLF) */
    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                // a browser's poll: Host from :authority, the fields in order
                ":method=GET & :scheme=https & :authority=rpl.example & :path=/?identifier=A & origin=https://site & accept=*/*;0;"
                        + "GET /?identifier=A HTTP/1.1|host: rpl.example|origin: https://site|accept: */*||",
                // an EventSource's reconnect
                ":method=GET & :path=/?identifier=A & :authority=h:8443 & accept=text/event-stream & last-event-id=5:A;0;"
                        + "GET /?identifier=A HTTP/1.1|host: h:8443|accept: text/event-stream|last-event-id: 5:A||",
                // a host field wins over :authority; split cookies are joined again
                ":method=GET & :path=/ & :authority=a & host=b & cookie=x=1 & cookie=y=2;0;GET / HTTP/1.1|host: b|cookie: x=1{} y=2||",
                // a POST poll: the body as received sets the length, whatever the client said
                ":method=POST & :path=/ & :authority=a & content-length=999;12;POST / HTTP/1.1|host: a|content-length: 12||",
                ":method=POST & :path=/ & :authority=a & content-length=0;0;POST / HTTP/1.1|host: a|content-length: 0||",
                // connection-specific fields never reach the handler (no WebSocket upgrade on HTTP/2)
                ":method=GET & :path=/ & upgrade=websocket & connection=Upgrade & te=trailers;0;GET / HTTP/1.1||",
            })
    void writesTheHttp11Head(String fields, long body, String head) throws Exception {
        assertEquals(
                head.replace("|", "\r\n").replace("{}", ";"),
                new String(RequestHead.http1(fields(fields), body), StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                ":method=GET & :authority=a",
                ":path=/ & :authority=a",
                ":method=GET & :path=/a b",
                ":method=GET & :path=",
                ":method=GET & :path=/ & :protocol=websocket",
                ":method=GET & :path=/ & x-evil=a{CRLF}Host: b",
                ":method=GET & :path=/ & x-evil=a{LF}b",
                ":method=GET & :path=/ & x-evil=a{NUL}b",
                ":method=GET & :path=/ & x-wide=\u0100",
            })
    void refusesWhatNoHttp11RequestCouldCarry(String fields) {
        assertThrows(RequestHead.Malformed.class, () -> RequestHead.http1(fields(fields), 0));
    }
}
