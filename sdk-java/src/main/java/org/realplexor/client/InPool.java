package org.realplexor.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kept IN connections (HTTP/1.1, {@code Connection: keep-alive}; this project's server only): at
 * most {@code size} open at once, each carrying one request at a time. A request takes an idle
 * connection (the most recently used) or opens one; one idle longer than {@code idleMs} is closed
 * instead of used, and so is one the server has closed meanwhile (seen without blocking, before
 * anything is written). An answer with {@code Connection: close} ends its connection.
 *
 * <p>Never two stores of one message: a request is sent again, once, on a fresh connection only
 * when writing it to a reused connection failed (the server acts on a request only once all of
 * it has arrived). A connection that ends after the request was written is an error: the message
 * may or may not have been stored, as with any send that gets no answer.
 */
final class InPool {
    private static final Pattern CONTENT_LENGTH =
            Pattern.compile("^Content-Length:[ \\t]*(\\d+)", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern KEEP_ALIVE =
            Pattern.compile("^Connection:[ \\t]*keep-alive[ \\t]*$", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final String HEADER = "Connection: keep-alive\r\n";

    private final InLine line;
    private final Semaphore slots;
    private final long idleNanos;
    private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong opened = new AtomicLong();
    private volatile boolean closed;

    private record Idle(InLine.Kept conn, long since) {}

    InPool(InLine line, int size, long idleMs) {
        this.line = line;
        this.slots = new Semaphore(size, true);
        this.idleNanos = idleMs * 1_000_000L;
    }

    /** Connections opened so far (for tests and the curious). */
    long opened() {
        return opened.get();
    }

    /** As {@link InLine#exchange(String, String, String, byte[])}, over a kept connection. */
    String exchange(String identifierHeader, String idempotencyKey, String moreHeaders, byte[] body) {
        byte[] request = line.request(identifierHeader, idempotencyKey, HEADER + moreHeaders, body);
        acquire();
        try {
            InLine.Kept conn = take();
            boolean reused = conn != null;
            if (conn == null) conn = open();
            try {
                write(conn, request);
            } catch (IOException e) {
                close(conn);
                if (!reused)
                    throw new RealplexorException("cannot send the request to " + line.endpoint() + ": " + e, e);
                conn = open(); // the reused one had gone: this request never reached the server
                try {
                    write(conn, request);
                } catch (IOException again) {
                    close(conn);
                    throw new RealplexorException(
                            "cannot send the request to " + line.endpoint() + ": " + again, again);
                }
            }
            return answer(conn);
        } finally {
            slots.release();
        }
    }

    private void acquire() {
        try {
            if (!slots.tryAcquire(line.readTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw new RealplexorException("no free connection to " + line.endpoint() + " within "
                        + line.readTimeoutMs() + " ms (read timeout): every pooled connection is busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RealplexorException("interrupted while waiting for a connection to " + line.endpoint(), e);
        }
    }

    /** An idle connection still fit to carry a request, or null. */
    private InLine.Kept take() {
        while (true) {
            Idle i = idle.pollFirst();
            if (i == null) return null;
            if (System.nanoTime() - i.since() > idleNanos || !stillOpen(i.conn())) {
                close(i.conn());
                continue;
            }
            return i.conn();
        }
    }

    /**
     * Whether the server has left an idle connection alone: nothing to read, and no end of input.
     * Looked at without blocking; a server never sends on an idle kept connection except to end it.
     */
    private static boolean stillOpen(InLine.Kept conn) {
        try {
            conn.channel().configureBlocking(false);
            int n;
            try {
                n = conn.channel().read(ByteBuffer.allocate(1));
            } finally {
                conn.channel().configureBlocking(true);
            }
            return n == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private InLine.Kept open() {
        InLine.Kept conn = line.connectKept();
        opened.incrementAndGet();
        return conn;
    }

    private static void write(InLine.Kept conn, byte[] request) throws IOException {
        OutputStream out = conn.socket().getOutputStream();
        out.write(request);
        out.flush();
    }

    /** Reads one answer by its Content-Length; the connection goes back to the pool if the server keeps it. */
    private String answer(InLine.Kept conn) {
        byte[] answer;
        boolean keep;
        try {
            long deadline = System.nanoTime() + line.readTimeoutMs() * 1_000_000L;
            InputStream in = conn.socket().getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream(256);
            int headEnd = -1;
            byte[] buf = new byte[8192];
            long need = -1;
            while (need < 0 || got.size() < need) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
                if (leftMs <= 0) throw timeout(got.size(), null);
                conn.socket().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, leftMs)));
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    throw timeout(got.size(), e);
                }
                if (n < 0) {
                    if (need < 0 && headEnd < 0 && got.size() == 0) {
                        throw new RealplexorException("the connection to " + line.endpoint()
                                + " ended without an answer: the message may or may not have been stored");
                    }
                    break; // an answer without a length ends with the connection (HttpAnswer checks it)
                }
                got.write(buf, 0, n);
                if (headEnd < 0) {
                    headEnd = headEnd(got.toByteArray());
                    if (headEnd >= 0) {
                        Matcher m = CONTENT_LENGTH.matcher(
                                new String(got.toByteArray(), 0, headEnd, StandardCharsets.ISO_8859_1));
                        if (m.find()) need = headEnd + Long.parseLong(m.group(1));
                    }
                }
            }
            answer = got.toByteArray();
            keep = need >= 0
                    && answer.length == need
                    && headEnd >= 0
                    && KEEP_ALIVE
                            .matcher(new String(answer, 0, headEnd, StandardCharsets.ISO_8859_1))
                            .find();
        } catch (IOException e) {
            close(conn);
            throw new RealplexorException("I/O error talking to " + line.endpoint() + ": " + e, e);
        } catch (RuntimeException e) {
            close(conn);
            throw e;
        }
        if (keep && !closed) idle.offerFirst(new Idle(conn, System.nanoTime()));
        else close(conn);
        return HttpAnswer.body(answer, line.endpoint());
    }

    private RealplexorException timeout(int received, Throwable cause) {
        return new RealplexorException(
                (received == 0 ? "no answer" : "incomplete answer (" + received + " bytes)") + " from "
                        + line.endpoint() + " within " + line.readTimeoutMs() + " ms (read timeout)",
                cause);
    }

    private static int headEnd(byte[] b) {
        for (int i = 3; i < b.length; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
        }
        return -1;
    }

    /** Closes the idle connections; a request under way closes its own when done. */
    void close() {
        closed = true;
        Idle i;
        while ((i = idle.pollFirst()) != null) close(i.conn());
    }

    private static void close(InLine.Kept conn) {
        InLine.closeQuietly(conn.socket());
        try {
            conn.channel().close();
        } catch (IOException ignored) {
            // already closing
        }
    }
}
