package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a kept-alive request ends, and what of the next one it must not take (PROTOCOL.md §3). */
class InReaderKeepAliveTest {
    private static final IdentifierScanner SCANNER = new IdentifierScanner("identifier", 20);

    private static InRequest done(String raw) {
        byte[] b = raw.replace("|", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        InStep step = new InReader(SCANNER).read(b, b.length, false);
        assertTrue(step instanceof InStep.Done, "complete: " + step);
        return ((InStep.Done) step).request();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                // name; request (| is CRLF); keep-alive; body; bytes left for the next request; identifier items
                "length, then the next request; POST / HTTP/1.1|Connection: keep-alive|Content-Length: 3|X: identifier=a||abcPOST / HTTP/1.1|X: identifier=b||; true; abc; 36; [a]",
                "token list, any case; POST / HTTP/1.1|connection: Upgrade, Keep-Alive|Content-Length: 2|X: identifier=a||ab; true; ab; 0; [a]",
                "chunked, then the next; POST / HTTP/1.1|Connection: keep-alive|Transfer-Encoding: chunked|X: identifier=a||2|ab|0||NEXT; true; ab; 4; [a]",
                "no identifier here, one in the next; POST / HTTP/1.1|Connection: keep-alive|Content-Length: 2||abPOST / HTTP/1.1|X: identifier=b||; true; ab; 36; null",
            })
    void aKeptRequestEndsWhereItsLengthSays(
            String name, String raw, boolean keepAlive, String body, int left, String ids) {
        InRequest r = done(raw);
        assertEquals(keepAlive, r.keepAlive());
        assertEquals(body, new String(r.body(), StandardCharsets.ISO_8859_1));
        int total = raw.replace("|", "\r\n").length();
        assertEquals(left, total - r.end(), "bytes after the request");
        assertEquals(
                ids,
                r.identifiers() == null
                        ? "null"
                        : r.identifiers().items().stream()
                                .map(Item::id)
                                .toList()
                                .toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "HTTP/1.0; POST / HTTP/1.0|Connection: keep-alive|Content-Length: 2|X: identifier=a||ab",
                "no Connection header (the original's PHP API); POST / HTTP/1.1|Content-Length: 2|X: identifier=a||ab",
                "Connection: close; POST / HTTP/1.1|Connection: close|Content-Length: 2|X: identifier=a||ab",
                "no length; POST / HTTP/1.1|Connection: keep-alive|X: identifier=a||ab",
            })
    void otherRequestsAreNotKeptAlive(String name, String raw) {
        byte[] b = raw.replace("|", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        InStep step = new InReader(SCANNER).read(b, b.length, true);
        InRequest r = ((InStep.Done) step).request();
        assertFalse(r.keepAlive());
        assertEquals(b.length, r.end());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "credentials in the head; POST / HTTP/1.1|X-Realplexor-Batch: 1|X: identifier=u:p@||identifier=a 1|x; u",
                "none in the head, one in a message; POST / HTTP/1.1|X-Realplexor-Batch: 1||identifier=a 1|x; null",
            })
    void aBatchTakesItsIdentifierFromItsHeadOnly(String name, String raw, String login) {
        byte[] b = raw.replace("|", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        InReader reader = new InReader(SCANNER);
        IdentifierList early = reader.identifiers(b, b.length, false, false);
        InRequest r = ((InStep.Done) reader.read(b, b.length, true)).request();
        assertTrue(r.batch());
        assertNull(r.command());
        if (login.equals("null")) {
            assertNull(early);
            assertNull(r.identifiers());
        } else {
            assertEquals(login, r.identifiers().login());
        }
    }
}
