package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedBodyTest {
    private static byte[] decode(String s) throws ChunkedBody.Malformed {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new ChunkedBody.Decoder(0).feed(b, b.length);
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
        for (String partial : new String[] {
            "",
            "5",
            "5\r\n",
            "5\r\nhel",
            "5\r\nhello",
            "5\r\nhello\r\n",
            "5\r\nhello\r\n0\r\n",
            "5\r\nhello\r\n0\r\nX-T: 1\r\n"
        }) {
            assertNull(decode(partial), partial);
        }
    }

    @Test
    void malformedBodiesAreRejected() {
        for (String bad : new String[] {
            "zz\r\nab\r\n0\r\n\r\n",
            "\r\n",
            "3\r\nabcdef\r\n0\r\n\r\n",
            "123456789\r\n",
            // a byte after a chunk's data that cannot start its line end: known at once
            "1\r\nabc",
            "1\r\na\rb"
        }) {
            assertThrows(ChunkedBody.Malformed.class, () -> decode(bad), bad);
        }
    }

    /** Feeds {@code chunked} to one decoder a few bytes at a time, as reads deliver it. */
    private static byte[] feedInSteps(String chunked, int step) throws ChunkedBody.Malformed {
        byte[] all = chunked.getBytes(StandardCharsets.ISO_8859_1);
        ChunkedBody.Decoder d = new ChunkedBody.Decoder(0);
        for (int len = Math.min(step, all.length); ; len = Math.min(len + step, all.length)) {
            // A growing buffer, as the IN line's: a copy of the bytes so far in a larger array.
            byte[] buf = java.util.Arrays.copyOf(all, len + 16);
            byte[] body = d.feed(buf, len);
            if (body != null || len == all.length) return body;
        }
    }

    @Test
    void aDecoderFedReadByReadGivesTheSameBodyOnlyOnceItIsComplete() throws Exception {
        String[] bodies = {
            "7\r\n{\"c\":1}\r\n0\r\n\r\n",
            "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
            "3;name=value\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n",
            "3\nabc\n0\n\n",
            "4\r\na\r\nb\r\n0\r\n\r\n"
        };
        for (String chunked : bodies) {
            for (int step : new int[] {1, 2, 3, 7}) {
                assertArrayEquals(decode(chunked), feedInSteps(chunked, step), chunked + " in steps of " + step);
            }
            String unfinished = chunked.substring(0, chunked.length() - 1);
            assertNull(feedInSteps(unfinished, 1), unfinished);
        }
    }

    @Test
    void aLargeBodyInManySmallReadsIsDecodedWhole() throws Exception {
        StringBuilder sb = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String part = "chunk " + i + " " + "x".repeat(i % 300);
            sb.append(Integer.toHexString(part.length()))
                    .append("\r\n")
                    .append(part)
                    .append("\r\n");
            expected.append(part);
        }
        sb.append("0\r\n\r\n");
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.ISO_8859_1), feedInSteps(sb.toString(), 100));
    }

    @Test
    void endlessSizeOrTrailerLinesAreRejectedWithoutWaitingForTheirEnd() throws Exception {
        assertThrows(ChunkedBody.Malformed.class, () -> decode("0".repeat(ChunkedBody.MAX_SIZE_LINE + 1)));
        assertThrows(
                ChunkedBody.Malformed.class,
                () -> decode("3\r\nabc\r\n0\r\nX-T: " + "y".repeat(ChunkedBody.MAX_TRAILER_LINE)));
        // A size past 2^31 waits for its data (IN_MAXLEN ends the request) instead of wrapping around.
        assertNull(decode("ffffffff\r\n" + "z".repeat(10) + "\r\n"));
    }
}
