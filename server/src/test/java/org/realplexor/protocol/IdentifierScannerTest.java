package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentifierScannerTest {
    private final IdentifierScanner scanner = new IdentifierScanner("identifier");

    /** Renders a scan result as "login|password|item;item" with items as [*]cursor:id. */
    private String scan(String raw, boolean atEnd) {
        byte[] b = raw.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
        IdentifierList l = scanner.scan(b, b.length, atEnd);
        if (l == null) return "NONE";
        List<String> items = new ArrayList<>();
        for (Item it : l.items()) {
            items.add((it.limiter() ? "*" : "")
                    + (it.cursor() == null ? "" : it.cursor().text() + ":")
                    + it.id());
        }
        return l.login() + "|" + l.password() + "|" + String.join(";", items);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "GET /?identifier=abc&ncrnd=1 HTTP/1.1\\r\\n ~ null|null|abc",
                "GET /?identifier=abc,def,ghi HTTP/1.1\\r\\n ~ null|null|abc;def;ghi",
                "GET /?identifier=10:abc,0010.50:def HTTP/1.1 ~ null|null|10:abc;0010.50:def",
                "identifier=abc,*def,*5:ghi\\n ~ null|null|abc;*def;*5:ghi",
                "X-Realplexor: identifier=user:secret@abc,10:def\\r\\n ~ user|secret|abc;10:def",
                "X-Realplexor: identifier=user:p!a$s=s@abc\\r\\n ~ user|p!a$s=s|abc",
                "identifier=1e5:x,12.:y,.5:z,1234:*bb,x:y:z,,ok\\n ~ null|null|ok",
                "identifier=\\n ~ null|null|",
                "GET /?123?identifier=IFRAME HTTP/1.1\\r\\n ~ null|null|IFRAME",
                "Referer: http://x/?identifier=evil\\r\\nX: identifier=good\\r\\n ~ null|null|good",
                "referer: http://x/?identifier=evil\\r\\nX: identifier=good\\r\\n ~ null|null|good",
                "  Referer: http://x/?identifier=evil\\nidentifier=good\\n ~ null|null|good",
                "xidentifier=abc&identifier=def& ~ null|null|def",
                "GET /?identifier=abc ~ NONE",
                "GET /?identif ~ NONE",
                "nothing here\\r\\n\\r\\n ~ NONE",
                "identifier=user:@abc\\n ~ null|null|",
                "identifier=a-b\\n ~ null|null|a",
            })
    void scansLikeTheOriginal(String raw, String expected) {
        assertEquals(expected.trim(), scan(raw.trim(), false));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '~',
            value = {
                "X-Realplexor: identifier=abc ~ null|null|abc",
                "identifier=u:p@a,b ~ u|p|a;b",
                "no marker ~ NONE",
            })
    void endOfInputEndsTheList(String raw, String expected) {
        assertEquals(expected.trim(), scan(raw.trim(), true));
    }

    @ParameterizedTest
    @CsvSource({"abc,true", "A_1,true", "_,true", "'',false", "a-b,false", "a b,false", "ы,false", "a.b,false"})
    void ids(String id, boolean valid) {
        assertEquals(valid, IdentifierScanner.isId(id));
    }

    @ParameterizedTest
    @CsvSource({"marker", "id"})
    void otherMarkerNames(String name) {
        IdentifierScanner s = new IdentifierScanner(name);
        byte[] b = ("GET /?" + name + "=abc&identifier=def HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("abc", s.scan(b, b.length, false).items().get(0).id());
        assertNull(new IdentifierScanner(name + "x").scan(b, b.length, false));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "aaaaa,bb|aaaaa,bb|",
                "aaaaaa,bb|bb|an id of 6 characters is longer than MAX_ID_LENGTH (5)",
                "*aaaaaa,12:bb|bb|an id of 6 characters is longer than MAX_ID_LENGTH (5)",
                "x:aaaaaa,bb|bb|",
                "11111111111111111111111111111111111111111111111111111111111111111:bb,cc|cc|a cursor of 65 characters is longer than the limit (64)",
                "1111111111111111111111111111111111111111111111111111111111111111:bb|bb|",
            })
    void itemsOverALimitAreLeftOutAndNamed(String list, String ids, String overLimit) {
        byte[] b = ("identifier=" + list + " ").getBytes(StandardCharsets.ISO_8859_1);
        IdentifierList l = new IdentifierScanner("identifier", 5).scan(b, b.length, false);
        List<String> got = new ArrayList<>();
        for (Item it : l.items()) got.add(it.id());
        assertEquals(List.of(ids.split(",")), got);
        assertEquals(overLimit, l.overLimit());
    }
}
