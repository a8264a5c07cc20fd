package org.realplexor.net;

import org.realplexor.protocol.WaitReader;

/**
 * A WAIT request while it is read: its bytes, its reader, and when it must have arrived. All of
 * it lives on one object the handler drops once the request is understood, so a held poll keeps
 * none of it.
 */
final class WaitReading extends ByteAccumulator {
    final WaitReader reader;
    /** When the whole request must have arrived (monotonic ms, HEAD_TIMEOUT). */
    final long headDeadline;

    WaitReading(WaitReader reader, long headDeadline) {
        this.reader = reader;
        this.headDeadline = headDeadline;
    }
}
