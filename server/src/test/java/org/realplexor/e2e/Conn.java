package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One raw TCP connection to the server, as the old clients use it: write bytes, maybe
 * half-close, read until the server closes. Every read has a deadline so a server that
 * never answers fails the test instead of hanging it.
 */
final class Conn implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean reset;

    private Conn(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static Conn open(int port) {
        return open(new InetSocketAddress("127.0.0.1", port));
    }

    static Conn open(InetSocketAddress address) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, 3000);
            return new Conn(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                /* already failing */
            }
            throw new UncheckedIOException("connect to " + address, e);
        }
    }

    /** The raw input, for a reader of its own (e.g. a stream counted on another thread). */
    InputStream inputStream() {
        return in;
    }

    Conn send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    Conn send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("send", e);
        }
    }

    /** shutdown(SHUT_WR): what the PHP and Python APIs do right after writing the request. */
    Conn halfClose() {
        try {
            socket.shutdownOutput();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("shutdownOutput", e);
        }
    }

    /** Exactly n bytes, failing on EOF or when they do not arrive in time. */
    byte[] readExactly(int n, Duration timeout) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[Math.max(1, Math.min(n, 65536))];
        try {
            while (got.size() < n) {
                setTimeout(deadline);
                int r = in.read(buf, 0, Math.min(buf.length, n - got.size()));
                if (r < 0)
                    fail("connection closed after " + got.size() + " of " + n + " bytes: "
                            + Bytes.visible(got.toByteArray()));
                got.write(buf, 0, r);
            }
        } catch (SocketTimeoutException e) {
            fail("only " + got.size() + " of " + n + " bytes within " + timeout + ": "
                    + Bytes.visible(got.toByteArray()));
        } catch (IOException e) {
            fail("read failed after " + got.size() + " bytes (" + e + "): " + Bytes.visible(got.toByteArray()));
        }
        return got.toByteArray();
    }

    /**
     * Everything until the server closes. A TCP reset also ends the stream (recorded for
     * {@link #wasReset()}); a server that keeps the connection open past the deadline fails.
     */
    byte[] readToEof(Duration timeout) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[65536];
        try {
            while (true) {
                setTimeout(deadline);
                int r = in.read(buf);
                if (r < 0) break;
                got.write(buf, 0, r);
            }
        } catch (SocketTimeoutException e) {
            fail("server did not close within " + timeout + "; received so far: " + Bytes.visible(got.toByteArray()));
        } catch (SocketException e) {
            reset = true;
        } catch (IOException e) {
            throw new UncheckedIOException("read", e);
        }
        return got.toByteArray();
    }

    byte[] readToEof() {
        return readToEof(TIMEOUT);
    }

    /** Bytes up to and including the first occurrence of {@code marker}. */
    byte[] readUntil(byte[] marker, Duration timeout) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!endsWith(got.toByteArray(), marker)) {
                setTimeout(deadline);
                int r = in.read();
                if (r < 0)
                    fail("connection closed before " + Bytes.visible(marker) + "; got: "
                            + Bytes.visible(got.toByteArray()));
                got.write(r);
            }
        } catch (SocketTimeoutException e) {
            fail("no " + Bytes.visible(marker) + " within " + timeout + "; got: " + Bytes.visible(got.toByteArray()));
        } catch (IOException e) {
            fail("read failed (" + e + "); got: " + Bytes.visible(got.toByteArray()));
        }
        return got.toByteArray();
    }

    /** Whatever arrives within {@code window}, stopping early at EOF or reset. */
    byte[] readFor(Duration window) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + window.toNanos();
        byte[] buf = new byte[65536];
        try {
            while (true) {
                setTimeout(deadline);
                int r = in.read(buf);
                if (r < 0) break;
                got.write(buf, 0, r);
            }
        } catch (IOException endOfWindowOrReset) {
            // the window is over, or the server reset the connection: either way, done
        }
        return got.toByteArray();
    }

    private static boolean endsWith(byte[] b, byte[] suffix) {
        if (b.length < suffix.length) return false;
        for (int i = 0; i < suffix.length; i++) {
            if (b[b.length - suffix.length + i] != suffix[i]) return false;
        }
        return true;
    }

    /** Asserts that for {@code quiet} nothing arrives and the connection stays open. */
    void assertSilentFor(Duration quiet) {
        try {
            socket.setSoTimeout((int) Math.max(1, quiet.toMillis()));
            int r = in.read();
            if (r < 0) fail("expected the connection to stay open and silent, but the server closed it");
            byte[] rest = in.readNBytes(Math.max(0, in.available()));
            byte[] all = new byte[rest.length + 1];
            all[0] = (byte) r;
            System.arraycopy(rest, 0, all, 1, rest.length);
            fail("expected silence for " + quiet + ", got: " + Bytes.visible(all));
        } catch (SocketTimeoutException expected) {
            // silence, as required
        } catch (IOException e) {
            fail("expected the connection to stay open and silent, got " + e);
        }
    }

    boolean wasReset() {
        return reset;
    }

    /** Vanishes without a FIN: SO_LINGER 0 makes close() send a reset. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // the point is to be gone
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection cannot fail a test
        }
    }

    private void setTimeout(long deadlineNanos) throws SocketTimeoutException, SocketException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new SocketTimeoutException("deadline");
        socket.setSoTimeout((int) left);
    }
}
