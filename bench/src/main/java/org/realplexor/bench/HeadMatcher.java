package org.realplexor.bench;

import io.netty.buffer.ByteBuf;

/**
 * Finds the end of an HTTP head (CRLF CRLF) across reads without buffering the head: a held
 * idle poll in the bench must cost next to nothing, the server is what is being measured.
 */
final class HeadMatcher {
    private int matched;
    private boolean done;

    boolean done() {
        return done;
    }

    /**
     * Consumes bytes of {@code buf} up to and including the end of the head.
     * @return true when the head ended within this buffer (its reader index is then just past it)
     */
    boolean feed(ByteBuf buf) {
        while (!done && buf.isReadable()) {
            byte b = buf.readByte();
            if (b == '\r') {
                matched = (matched == 2) ? 3 : 1;
            } else if (b == '\n' && (matched == 1 || matched == 3)) {
                matched++;
                done = matched == 4;
            } else {
                matched = 0;
            }
        }
        return done;
    }
}
