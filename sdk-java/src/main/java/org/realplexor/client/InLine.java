package org.realplexor.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One request per connection to the IN line, as the original server needs it: write the
 * whole request, half-close, then read until the server closes. The original acts only at
 * end of input, so a client that waited for an answer before closing would wait forever.
 */
final class InLine {

    private final String host;
    private final int port;
    private final SSLSocketFactory tls; // null: plain TCP
    private final int connectTimeoutMs;
    private final long readTimeoutMs;
    private final String endpoint;

    InLine(String host, int port, SSLSocketFactory tls, int connectTimeoutMs, long readTimeoutMs) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
        this.endpoint = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    String endpoint() {
        return endpoint;
    }

    /**
     * Sends {@code identifierHeader} as the {@code X-Realplexor} header, then {@code body},
     * and returns the answer's body, or {@code null} when the server answered zero bytes.
     */
    String exchange(String identifierHeader, byte[] body) {
        return exchange(identifierHeader, null, body);
    }

    /** The same with an {@code X-Realplexor-Idempotency-Key} header, unless {@code idempotencyKey} is null. */
    String exchange(String identifierHeader, String idempotencyKey, byte[] body) {
        return exchange(identifierHeader, idempotencyKey, "", body);
    }

    /** The same with more header lines ({@code "Name: value\r\n"} each, or ""). */
    String exchange(String identifierHeader, String idempotencyKey, String moreHeaders, byte[] body) {
        byte[] request = request(identifierHeader, idempotencyKey, moreHeaders, body);
        byte[] answer;
        try (Socket socket = connect()) {
            IOException writeFailed = write(socket, request);
            answer = writeFailed == null ? readAll(socket) : answerAfterFailedWrite(socket, writeFailed);
        } catch (RealplexorException e) {
            throw e;
        } catch (IOException e) {
            throw new RealplexorException("I/O error talking to " + endpoint + ": " + e, e);
        }
        return HttpAnswer.body(answer, endpoint);
    }

    /** Writes the request and half-closes; returns the failure instead of throwing it. */
    private static IOException write(Socket socket, byte[] request) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * The server may refuse early (403 once it has read the identifier, 413 for a large body)
     * and close while the body is still going out: its answer says more than the broken
     * pipe, so it is read if it is there.
     */
    private byte[] answerAfterFailedWrite(Socket socket, IOException writeFailed) {
        byte[] answer;
        try {
            answer = readAll(socket);
        } catch (IOException | RealplexorException e) {
            answer = new byte[0];
        }
        if (answer.length == 0) {
            throw new RealplexorException("cannot send the request to " + endpoint + ": " + writeFailed, writeFailed);
        }
        return answer;
    }

    byte[] request(String identifierHeader, String idempotencyKey, String moreHeaders, byte[] body) {
        String head = "POST / HTTP/1.1\r\n"
                + "Host: " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Realplexor: " + identifierHeader + "\r\n"
                + (idempotencyKey == null ? "" : "X-Realplexor-Idempotency-Key: " + idempotencyKey + "\r\n")
                + moreHeaders
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    private Socket connect() {
        return connect(new Socket());
    }

    /**
     * A connection for {@link InPool}: over a {@link SocketChannel}, so that an idle one can be
     * looked at without blocking before it is used again (see {@link InPool}).
     */
    Kept connectKept() {
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            throw new RealplexorException("cannot open a socket to " + endpoint + ": " + e, e);
        }
        Socket plain = channel.socket();
        try {
            plain.setTcpNoDelay(true);
        } catch (IOException e) {
            // only a delay: go on
        }
        return new Kept(channel, connect(plain));
    }

    /** A kept connection: the raw channel (for the idle check) and the socket to talk over (TLS or not). */
    record Kept(SocketChannel channel, Socket socket) {}

    long readTimeoutMs() {
        return readTimeoutMs;
    }

    private Socket connect(Socket plain) {
        try {
            plain.connect(new InetSocketAddress(host, port), connectTimeoutMs);
        } catch (SocketTimeoutException e) {
            closeQuietly(plain);
            throw new RealplexorException(
                    "cannot connect to " + endpoint + " within " + connectTimeoutMs + " ms (connect timeout)", e);
        } catch (UnknownHostException e) {
            closeQuietly(plain);
            throw new RealplexorException("cannot connect to " + endpoint + ": unknown host " + host, e);
        } catch (ConnectException e) {
            closeQuietly(plain);
            throw new RealplexorException(
                    "cannot connect to " + endpoint + ": " + e.getMessage() + " (is the server running and its IN_ADDR "
                            + endpoint + "?)",
                    e);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new RealplexorException("cannot connect to " + endpoint + ": " + e, e);
        }
        if (tls == null) {
            return plain;
        }
        try {
            SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, true);
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names this host
            socket.setSSLParameters(params);
            socket.setSoTimeout(timeoutMillis(readTimeoutMs));
            socket.startHandshake();
            return socket;
        } catch (SocketTimeoutException e) {
            closeQuietly(plain);
            throw new RealplexorException(
                    "no TLS handshake with " + endpoint + " within " + readTimeoutMs + " ms (read timeout)", e);
        } catch (SSLException e) {
            closeQuietly(plain);
            throw new RealplexorException("TLS handshake with " + endpoint + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new RealplexorException("TLS handshake with " + endpoint + " failed: " + e, e);
        }
    }

    /** Reads to end of input; the read timeout bounds the whole answer, not each read. */
    private byte[] readAll(Socket socket) throws IOException {
        long deadline = System.nanoTime() + readTimeoutMs * 1_000_000L;
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                throw timeout(answer.size(), null);
            }
            socket.setSoTimeout(timeoutMillis(leftMs));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw timeout(answer.size(), e);
            }
            if (n < 0) {
                return answer.toByteArray();
            }
            answer.write(buf, 0, n);
        }
    }

    private RealplexorException timeout(int received, Throwable cause) {
        return new RealplexorException(
                (received == 0 ? "no answer" : "incomplete answer (" + received + " bytes)") + " from " + endpoint
                        + " within " + readTimeoutMs + " ms (read timeout)",
                cause);
    }

    // setSoTimeout takes an int, and 0 would mean "wait forever".
    private static int timeoutMillis(long ms) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }
}
