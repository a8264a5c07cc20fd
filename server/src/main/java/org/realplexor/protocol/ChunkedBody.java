package org.realplexor.protocol;

import java.io.ByteArrayOutputStream;

/**
 * A body sent with {@code Transfer-Encoding: chunked}, as standard HTTP clients send one whose
 * length they do not know in advance (Java's HttpClient with a stream, Guzzle with a stream,
 * curl reading stdin). The original's clients never do; lines may end in CRLF or a bare LF.
 */
public final class ChunkedBody {
    private ChunkedBody() {
    }

    /** Thrown for bytes that are not a chunked body. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /**
     * The decoded body of {@code b[from, len)}, or null while its last chunk and the blank line
     * after the trailers have not all arrived.
     */
    public static byte[] decode(byte[] b, int from, int len) throws Malformed {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = from;
        while (true) {
            int lineEnd = lineEnd(b, at, len);
            if (lineEnd < 0) return null;
            long size = size(b, at, lineEnd);
            at = lineEnd + 1;
            if (size == 0) return trailersEnd(b, at, len) ? out.toByteArray() : null;
            if (len - at < size) return null;
            out.write(b, at, (int) size);
            at += (int) size;
            int end = lineEnd(b, at, len);
            if (end < 0) return null;
            if (end != at && !(end == at + 1 && b[at] == '\r')) throw new Malformed("chunk longer than its size line says");
            at = end + 1;
        }
    }

    /** Index of the next LF at or after {@code at}, or -1. */
    private static int lineEnd(byte[] b, int at, int len) {
        for (int i = at; i < len; i++) if (b[i] == '\n') return i;
        return -1;
    }

    /** The hex size at the start of a size line; extensions after ';' are ignored. */
    private static long size(byte[] b, int at, int lineEnd) throws Malformed {
        long size = 0;
        int digits = 0;
        boolean sawZero = false;
        for (int i = at; i < lineEnd; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                if (b[i] == ';' || b[i] == '\r' || b[i] == ' ' || b[i] == '\t') break;
                throw new Malformed("bad chunk size line");
            }
            if ((digits > 0 || d > 0) && ++digits > 8) throw new Malformed("chunk size too large");
            if (d == 0 && digits == 0) sawZero = true;
            size = size * 16 + d;
        }
        if (digits == 0 && !sawZero) throw new Malformed("bad chunk size line");
        return size;
    }

    /** Whether the trailer lines after the last chunk, ended by an empty line, are all there. */
    private static boolean trailersEnd(byte[] b, int at, int len) {
        while (true) {
            int end = lineEnd(b, at, len);
            if (end < 0) return false;
            if (end == at || (end == at + 1 && b[at] == '\r')) return true;
            at = end + 1;
        }
    }
}
