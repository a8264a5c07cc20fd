package org.realplexor.e2e;

import java.time.Duration;

/** A registered WAIT connection: its head has been read and checked, the answer is pending. */
final class Poll implements AutoCloseable {
    final Conn conn;

    Poll(Conn conn) {
        this.conn = conn;
    }

    /** The answer body (everything after the head and its ` \r\n`) up to the server's close. */
    byte[] answerBytes() {
        return conn.readToEof();
    }

    String answer() {
        return Bytes.str(answerBytes());
    }

    /** Nothing delivered yet and the poll still held. */
    void assertWaiting(Duration quiet) {
        conn.assertSilentFor(quiet);
    }

    void assertWaiting() {
        assertWaiting(Duration.ofMillis(200));
    }

    @Override
    public void close() {
        conn.close();
    }
}
