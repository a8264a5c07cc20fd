package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedBodyTest {
    private static byte[] decode(String s) throws ChunkedBody.Malformed {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return ChunkedBody.decode(b, 0, b.length);
    }

    private static void assertDecodes(String expected, String chunked) throws ChunkedBody.Malformed {
        assertArrayEquals(expected.getBytes(StandardCharsets.ISO_8859_1), decode(chunked), chunked);
    }

    @Test
    void chunksAreJoined() throws Exception {
        assertDecodes("{\"c\":1}", "7\r\n{\"c\":1}\r\n0\r\n\r\n");
        assertDecodes("hello world", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertDecodes("", "0\r\n\r\n");
        assertDecodes("x".repeat(26), "1A\r\n" + "x".repeat(26) + "\r\n0\r\n\r\n");
        assertDecodes("x".repeat(26), "1a\r\n" + "x".repeat(26) + "\r\n0\r\n\r\n");
    }

    @Test
    void extensionsTrailersAndBareLineFeedsAreAccepted() throws Exception {
        assertDecodes("abc", "3;name=value\r\nabc\r\n0\r\n\r\n");
        assertDecodes("abc", "3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n");
        assertDecodes("abc", "3\nabc\n0\n\n");
        assertDecodes("abc", "000000003\r\nabc\r\n0000000000\r\n\r\n"); // leading zeros count for nothing
        assertDecodes("a\r\nb", "4\r\na\r\nb\r\n0\r\n\r\n");
    }

    @Test
    void incompleteBodiesAreNull() throws Exception {
        for (String partial : new String[] {"", "5", "5\r\n", "5\r\nhel", "5\r\nhello", "5\r\nhello\r\n",
                "5\r\nhello\r\n0\r\n", "5\r\nhello\r\n0\r\nX-T: 1\r\n"}) {
            assertNull(decode(partial), partial);
        }
    }

    @Test
    void malformedBodiesAreRejected() {
        for (String bad : new String[] {"zz\r\nab\r\n0\r\n\r\n", "\r\n", "3\r\nabcdef\r\n0\r\n\r\n", "123456789\r\n"}) {
            assertThrows(ChunkedBody.Malformed.class, () -> decode(bad), bad);
        }
    }
}
