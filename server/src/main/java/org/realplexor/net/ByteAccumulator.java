package org.realplexor.net;

import io.netty.buffer.ByteBuf;

/**
 * The bytes of a request received so far, in one growing array so the pure scanners can look at
 * them as a whole. Dropped as soon as the request is understood: a held poll keeps no buffer.
 */
class ByteAccumulator {
    byte[] bytes = new byte[256];
    int length;

    /** Appends {@code in} (not released here), keeping at most {@code cap} bytes; false if over. */
    boolean append(ByteBuf in, int cap) {
        int n = in.readableBytes();
        int room = cap - length;
        if (n > room) {
            n = Math.max(0, room);
            copy(in, n);
            return false;
        }
        copy(in, n);
        return true;
    }

    /**
     * Drops the first {@code n} bytes (a request that has been acted on) and moves the rest to the
     * start: the next request on a kept-alive connection. Line ends between two requests are
     * dropped too (a client may end a body with one it did not count).
     */
    void consume(int n) {
        while (n < length && (bytes[n] == '\r' || bytes[n] == '\n')) n++;
        System.arraycopy(bytes, n, bytes, 0, length - n);
        length -= n;
    }

    private void copy(ByteBuf in, int n) {
        if (length + n > bytes.length) {
            int size = bytes.length;
            while (size < length + n) size *= 2;
            bytes = java.util.Arrays.copyOf(bytes, size);
        }
        in.readBytes(bytes, length, n);
        length += n;
    }
}
