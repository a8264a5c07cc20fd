package org.realplexor.protocol;

import java.io.ByteArrayOutputStream;

/**
 * A body sent with {@code Transfer-Encoding: chunked}, as standard HTTP clients send one whose
 * length they do not know in advance (Java's HttpClient with a stream, Guzzle with a stream,
 * curl reading stdin). The original's clients never do; lines may end in CRLF or a bare LF.
 */
public final class ChunkedBody {
    private ChunkedBody() {}

    /** Thrown for bytes that are not a chunked body. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** A size line longer than this is not one: no client pads a hex number with kilobytes. */
    static final int MAX_SIZE_LINE = 1024;
    /** Likewise a trailer line (a header after the last chunk). */
    static final int MAX_TRAILER_LINE = 8192;

    /**
     * Decodes a body that arrives a read at a time, keeping its place between reads: each byte is
     * looked at about once, however many reads the body takes (decoding from the start at every
     * read cost a slow sender's server time quadratic in the body's size).
     */
    public static final class Decoder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        /** Where the next size line (or, after the last chunk, the next trailer line) starts. */
        private int at;

        private boolean lastChunk;

        /** @param from where the body starts in the buffer that {@link #feed} will be given */
        public Decoder(int from) {
            this.at = from;
        }

        /** Where the body ends in the buffer (just past its last line), once {@link #feed} has returned it. */
        public int end() {
            return at;
        }

        /**
         * Goes on with {@code b[0, len)}: the same buffer as before (or a longer copy of it) with
         * more bytes at its end. Returns the whole body once it is complete, else null.
         */
        public byte[] feed(byte[] b, int len) throws Malformed {
            while (true) {
                int lineEnd = lineEnd(b, at, len);
                if (lineEnd < 0) {
                    if (len - at > (lastChunk ? MAX_TRAILER_LINE : MAX_SIZE_LINE)) {
                        throw new Malformed(lastChunk ? "trailer line too long" : "chunk size line too long");
                    }
                    return null;
                }
                if (lastChunk) {
                    boolean blank = lineEnd == at || (lineEnd == at + 1 && b[at] == '\r');
                    at = lineEnd + 1;
                    if (blank) return out.toByteArray();
                    continue;
                }
                long size = size(b, at, lineEnd);
                if (size == 0) {
                    lastChunk = true;
                    at = lineEnd + 1;
                    continue;
                }
                int data = lineEnd + 1;
                // The chunk's data, then its line end (CRLF or LF) right after it. Compared as
                // longs: a size may pass 2^31.
                if (size >= len - data) return null;
                int after = data + (int) size;
                int end = after;
                if (b[after] == '\r') {
                    if (len <= after + 1) return null;
                    end = after + 1;
                }
                if (b[end] != '\n') throw new Malformed("chunk longer than its size line says");
                out.write(b, data, (int) size);
                at = end + 1;
            }
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
}
