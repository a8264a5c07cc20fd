package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shapes a request value must have before the WAIT line echoes it (see CorsSyntax). */
class CorsSyntaxTest {

    /** \r, \n, \t, \0 and \x7f written as escapes so the table shows the exact bytes. */
    private static String unescape(String s) {
        return s.replace("\\r", "\r")
                .replace("\\n", "\n")
                .replace("\\t", "\t")
                .replace("\\0", "\0")
                .replace("\\x7f", "\u007f");
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '~',
            value = {
                "http://a.example ~ true",
                "https://app.example.com:8443 ~ true",
                "http://localhost:8088 ~ true",
                "http://127.0.0.1 ~ true",
                "http://[::1]:81 ~ true",
                "http://[2001:db8::ffff:1.2.3.4] ~ true",
                "chrome-extension://abcdefghijklmnop ~ true",
                "web+app.x-y://host ~ true",
                "http://my_host.intranet ~ true",
                "null ~ true",
                "http://a.example\\rSet-Cookie: evil=1 ~ false",
                "http://a.example\\nSet-Cookie: evil=1 ~ false",
                "http://a.example\\r\\nSet-Cookie: evil=1 ~ false",
                "http://a.example\\0 ~ false",
                "http://a.example\\x7f ~ false",
                "http://a.example\\t ~ false",
                "'http://a.example ' ~ false",
                "http://a.example/ ~ false",
                "http://a.example/path ~ false",
                "http://a.example? ~ false",
                "http://user@a.example ~ false",
                "http://a.example: ~ false",
                "http://a.example:123456 ~ false",
                "http://a.example:8o ~ false",
                "HTTP://a.example ~ false",
                "1http://a.example ~ false",
                "://a.example ~ false",
                "http:/a.example ~ false",
                "http:// ~ false",
                "http://[] ~ false",
                "http://[::1 ~ false",
                "http://[::1]x ~ false",
                "http://[fe80::1%eth0] ~ false",
                "http://é.example ~ false",
                "NULL ~ false",
                "null null ~ false",
                "'' ~ false",
                "* ~ false",
            })
    void origins(String raw, boolean valid) {
        assertEquals(valid, CorsSyntax.isOrigin(unescape(raw)));
    }

    @Test
    void originLengthIsCapped() {
        String prefix = "http://";
        String fits = prefix + "a".repeat(CorsSyntax.MAX_ORIGIN - prefix.length());
        assertEquals(true, CorsSyntax.isOrigin(fits));
        assertFalse(CorsSyntax.isOrigin(fits + "a"));
        assertFalse(CorsSyntax.isOrigin(null));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '~',
            value = {
                "content-type ~ true",
                "content-type,x-requested-with ~ true",
                "'Content-Type, X-Custom' ~ true",
                "'a ,\\tb' ~ true",
                "x!#$%&'*+-.^_`|y ~ true",
                "content-type\\rSet-Cookie: evil=1 ~ false",
                "content-type\\nSet-Cookie: evil=1 ~ false",
                "content-type\\0 ~ false",
                "'a,,b' ~ false",
                "'a,' ~ false",
                "',a' ~ false",
                "'a b' ~ false",
                "x-a:1 ~ false",
                "x-\"q\" ~ false",
                "x-é ~ false",
                "'' ~ false",
                "' ' ~ false",
            })
    void tokenLists(String raw, boolean valid) {
        assertEquals(valid, CorsSyntax.isTokenList(unescape(raw)));
    }

    @Test
    void tokenListLengthIsCapped() {
        String fits = "x".repeat(CorsSyntax.MAX_HEADER_LIST);
        assertEquals(true, CorsSyntax.isTokenList(fits));
        assertFalse(CorsSyntax.isTokenList(fits + "x"));
        assertFalse(CorsSyntax.isTokenList(null));
        assertEquals(true, CorsSyntax.isTokenList("x~y"), "~ is a tchar too");
    }

    /** Only LF ends a header line on input: a bare CR cannot make the rest of the line a header of its own. */
    @Test
    void aBareCrInARequestLineDoesNotStartAHeader() {
        byte[] head = "GET / HTTP/1.1\r\nX-Foo: a\rOrigin: http://evil.example\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertNull(RawRequest.header(head, head.length, "Origin"));
        assertNull(RawRequest.headers(head, head.length, "Origin", "Host")[0]);
        assertEquals("a\rOrigin: http://evil.example", RawRequest.header(head, head.length, "X-Foo"));
        assertFalse(CorsSyntax.isOrigin(RawRequest.header(head, head.length, "X-Foo")));
    }
}
