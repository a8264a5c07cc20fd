package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InReaderTest {
    private static final IdentifierScanner SCANNER = new IdentifierScanner("identifier", 20);

    private static byte[] b(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The step in a few words: more, ask, 400 REASON, command NAME[ARGS] ids=..., body 'TEXT' ids=... */
    private static String describe(InStep step) {
        if (step == InStep.MORE) return "more";
        if (step == InStep.ASK_FOR_BODY) return "ask";
        if (step instanceof InStep.Refused r) return r.status().substring(0, 3) + " " + r.reason();
        InRequest req = ((InStep.Done) step).request();
        IdentifierList ids = req.identifiers();
        String who = ids == null
                ? "none"
                : (ids.login() == null ? "" : ids.login() + "@")
                        + ids.items().stream().map(Item::id).collect(Collectors.joining(","));
        String what = req.command() != null
                ? "command " + req.command().name() + req.command().args()
                : "body '"
                        + new String(req.body(), StandardCharsets.ISO_8859_1)
                                .replace("\r", "\\r")
                                .replace("\n", "\\n") + "'";
        return what + " ids=" + who;
    }

    /** A fresh reader fed {@code all[0, len)} in one piece. */
    private static InStep onePiece(byte[] all, int len, boolean atEnd) {
        return new InReader(SCANNER).read(grown(all, len), len, atEnd);
    }

    /** The bytes so far in a larger array, as the IN line's growing buffer holds them. */
    private static byte[] grown(byte[] all, int len) {
        return Arrays.copyOf(all, len + 7);
    }

    private static final String HTTP = "POST / HTTP/1.1\\r\\nX-Realplexor: identifier=";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "raw command ~ ONLINE\\n ~ false ~ command ONLINE[] ids=none",
                "raw command, line unfinished ~ ONLINE abc ~ false ~ more",
                "raw command, line ends at the end ~ ONLINE abc ~ true ~ command ONLINE[abc] ids=none",
                "raw WATCH ~ watch 12 a b\\r\\n ~ false ~ command WATCH[12, a, b] ids=none",
                "raw STATS with a login ~ STATS\\nidentifier=bob:pw@x\\n ~ false ~ command STATS[] ids=bob@x",
                "not a command ~ ONLINEX ~ true ~ more",
                "original client: body to EOF ~ identifier=abc\\n\\nhello ~ true ~ body 'hello' ids=abc",
                "original client, before its half-close ~ identifier=abc\\n\\nhello ~ false ~ more",
                "original client, Content-Length ignored at EOF ~ identifier=a\\r\\nContent-Length: 2\\r\\n\\r\\nhello ~ true ~ body 'hello' ids=a",
                "Content-Length reached ~ " + HTTP
                        + "a,b\\r\\nContent-Length: 5\\r\\n\\r\\nhello ~ false ~ body 'hello' ids=a,b",
                "Content-Length not reached ~ " + HTTP + "a\\r\\nContent-Length: 10\\r\\n\\r\\nhello ~ false ~ more",
                "Content-Length not a number ~ " + HTTP + "a\\r\\nContent-Length: 5x\\r\\n\\r\\nhello ~ false ~ more",
                "head unfinished ~ " + HTTP + "a\\r\\nContent-Length: 1\\r\\n ~ false ~ more",
                "Expect: 100-continue ~ " + HTTP
                        + "a\\r\\nContent-Length: 5\\r\\nExpect: 100-continue\\r\\n\\r\\n ~ false ~ ask",
                "Expect with its body ~ " + HTTP
                        + "a\\r\\nContent-Length: 2\\r\\nExpect: 100-Continue\\r\\n\\r\\nhi ~ false ~ body 'hi' ids=a",
                "no Expect ~ " + HTTP + "a\\r\\nContent-Length: 5\\r\\n\\r\\n ~ false ~ more",
                "chunked ~ " + HTTP
                        + "a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n1\\r\\n!\\r\\n0\\r\\n\\r\\n ~ false ~ body 'hello!' ids=a",
                "chunked, last coding ~ " + HTTP
                        + "a\\r\\nTransfer-Encoding: gzip, Chunked\\r\\n\\r\\n2\\r\\nhi\\r\\n0\\r\\n\\r\\n ~ false ~ body 'hi' ids=a",
                "chunked, unfinished ~ " + HTTP
                        + "a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhel ~ false ~ more",
                "chunked, cut by EOF ~ " + HTTP
                        + "a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhel ~ true ~ 400 the chunked body ended before its last chunk",
                "chunked, malformed ~ " + HTTP
                        + "a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n ~ false ~ 400 the chunked body is malformed (bad chunk size line)",
                "chunked asks for its body ~ " + HTTP
                        + "a\\r\\nTransfer-Encoding: chunked\\r\\nExpect: 100-continue\\r\\n\\r\\n ~ false ~ ask",
                "Transfer-Encoding without a request line ~ identifier=a\\nTransfer-Encoding: chunked\\n\\n2\\r\\nhi ~ true ~ body '2\\r\\nhi' ids=a",
                "a command as the body ~ " + HTTP
                        + "a\\r\\nContent-Length: 6\\r\\n\\r\\nSTATS\\n ~ false ~ command STATS[] ids=a",
                "a command body at EOF ~ identifier=a\\n\\nWATCH 3 x ~ true ~ command WATCH[3, x] ids=a",
                "credentials ~ " + HTTP
                        + "bob:secret@a\\r\\nContent-Length: 1\\r\\n\\r\\nx ~ false ~ body 'x' ids=bob@a",
                "Referer lines are skipped ~ POST / HTTP/1.1\\r\\nReferer: /?identifier=evil\\r\\nContent-Length: 1\\r\\n\\r\\nx ~ false ~ body 'x' ids=none",
                "identifier in the body ~ POST / HTTP/1.1\\r\\nContent-Length: 13\\r\\n\\r\\nidentifier=z; ~ false ~ body 'identifier=z;' ids=z",
                "empty body ~ " + HTTP + "a\\r\\nContent-Length: 0\\r\\n\\r\\n ~ false ~ body '' ids=a",
            })
    void readsOneRequestPerRow(String name, String raw, boolean atEnd, String expected) {
        byte[] all = b(raw);
        assertEquals(expected, describe(onePiece(all, all.length, atEnd)));
    }

    /**
     * Every request of the table split in two at every byte: the reader fed the first piece, then
     * both, says after each what a fresh reader fed the same bytes in one piece says (a client
     * waiting for "100 Continue" is asked once, though).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "raw command ~ ONLINE abc\\n ~ false",
                "raw command at EOF ~ WATCH 1 a ~ true",
                "original client ~ identifier=bob:pw@abc,*x\\n\\nhello ~ true",
                "Content-Length ~ " + HTTP + "a,b\\r\\nContent-Length: 5\\r\\n\\r\\nhello ~ false",
                "Content-Length exceeded at EOF ~ identifier=a\\r\\nContent-Length: 2\\r\\n\\r\\nhello ~ true",
                "Expect ~ " + HTTP + "a\\r\\nContent-Length: 5\\r\\nExpect: 100-continue\\r\\n\\r\\nhello ~ false",
                "chunked ~ " + HTTP
                        + "a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n1\\r\\n!\\r\\n0\\r\\nX-T: 1\\r\\n\\r\\n ~ false",
                "chunked, bare LF ~ " + HTTP + "a\\nTransfer-Encoding: chunked\\n\\n3\\nabc\\n0\\n\\n ~ false",
                "chunked, malformed ~ " + HTTP
                        + "a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabcdef\\r\\n0\\r\\n\\r\\n ~ false",
                "chunked, cut by EOF ~ " + HTTP + "a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhel ~ true",
                "a command as the body ~ " + HTTP + "a\\r\\nContent-Length: 14\\r\\n\\r\\nONLINE p1 p2\\r\\n ~ false",
                "identifier in the body ~ POST / HTTP/1.1\\r\\nContent-Length: 13\\r\\n\\r\\nidentifier=z; ~ false",
            })
    void readsTheSameAtEverySplit(String name, String raw, boolean atEnd) {
        byte[] all = b(raw);
        String whole = describe(onePiece(all, all.length, atEnd));
        for (int k = 0; k <= all.length; k++) {
            InReader r = new InReader(SCANNER);
            int asks = 0;
            InStep first = r.read(grown(all, k), k, false);
            if (first == InStep.ASK_FOR_BODY) asks++;
            String fresh = describe(onePiece(all, k, false));
            assertEquals(
                    fresh.equals("ask") ? "more" : fresh,
                    first == InStep.ASK_FOR_BODY ? "more" : describe(first),
                    name + ": the first " + k + " bytes");
            if (!(first instanceof InStep.More)) continue; // the handler acts on it: nothing more is read
            InStep last = r.read(grown(all, all.length), all.length, atEnd);
            if (last == InStep.ASK_FOR_BODY) asks++;
            String got = describe(last);
            assertEquals(
                    whole.equals("ask") && asks == 1 ? "more" : whole,
                    got.equals("ask") && asks == 1 ? "more" : got,
                    name + ": split at " + k);
            assertTrue(asks <= 1, name + ": asked for the body twice, split at " + k);
        }
    }

    @Test
    void theDeclaredLengthIsKnownOnceTheHeadIs() {
        byte[] all = b(HTTP + "a\\r\\nContent-Length: 123\\r\\nExpect: 100-continue\\r\\n\\r\\n");
        InReader r = new InReader(SCANNER);
        assertEquals(-1, r.declared());
        assertEquals(InStep.ASK_FOR_BODY, r.read(all, all.length, false));
        assertEquals(123, r.declared());
        assertEquals(InStep.MORE, r.read(all, all.length, false), "asked once");
    }

    @Test
    void aDecodedChunkedBodyIsKeptWhenTheRequestIsReadAgain() {
        byte[] all = b(HTTP + "a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\r\\nhi\\r\\n0\\r\\n\\r\\n");
        InReader r = new InReader(SCANNER);
        String once = describe(r.read(all, all.length, false));
        assertEquals("body 'hi' ids=a", once);
        assertEquals(once, describe(r.read(all, all.length, true)));
    }

    /**
     * Past SCAN_EVERY_READ bytes a missing identifier is looked for again only once the request has
     * doubled, unless forced; found, it is kept.
     */
    @Test
    void aLargeRequestIsNotScannedAtEveryRead() {
        String head = "POST / HTTP/1.1\r\nContent-Length: 40000\r\n\r\n";
        byte[] all = (head + "x".repeat(InReader.SCAN_EVERY_READ) + " identifier=late " + "y".repeat(40000))
                .getBytes(StandardCharsets.ISO_8859_1);
        InReader r = new InReader(SCANNER);
        int past = InReader.SCAN_EVERY_READ + head.length() + 5;
        assertNull(r.identifiers(all, past, false, false), "not there yet");
        int found = past + 20;
        assertNull(r.identifiers(all, found, false, false), "not looked for until the request doubles");
        IdentifierList forced = r.identifiers(all, found, false, true);
        assertNotNull(forced);
        assertEquals("late", forced.items().get(0).id());
        assertEquals(forced, r.identifiers(all, 2 * found, false, false));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "no identifier ~ POST / HTTP/1.1\\r\\nContent-Length: 1\\r\\n\\r\\nx ~ no identifier=... found in the request (e.g. a header X-Realplexor: identifier=ID)",
                "an id too long ~ " + HTTP
                        + "abcdefghijklmnopqrstuvwxyz\\r\\nContent-Length: 1\\r\\n\\r\\nx ~ an id of 26 characters is longer than MAX_ID_LENGTH (20)",
                "empty body ~ " + HTTP + "a\\r\\nContent-Length: 0\\r\\n\\r\\n ~ the message body is empty",
                "not UTF-8 ~ " + HTTP
                        + "a\\r\\nContent-Length: 3\\r\\n\\r\\nok\u00ff ~ the message body is not valid UTF-8 (byte offset 2)",
                "fine ~ " + HTTP + "a\\r\\nContent-Length: 2\\r\\n\\r\\nok ~ null",
            })
    void publishRefusals(String name, String raw, String expected) {
        byte[] all = b(raw);
        InRequest req = ((InStep.Done) onePiece(all, all.length, false)).request();
        assertEquals(expected, String.valueOf(req.publishRefusal("identifier")));
    }

    @Test
    void headersAreReadFromTheHead() {
        byte[] all = b(HTTP + "a\\r\\nIdempotency-Key: k1\\r\\nContent-Length: 22\\r\\n\\r\\nIdempotency-Key: body\\n");
        InRequest req = ((InStep.Done) onePiece(all, all.length, false)).request();
        assertEquals("k1", req.header("idempotency-key"));
        assertNull(req.header("X-Missing"));
    }
}
