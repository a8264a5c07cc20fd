package org.realplexor.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny server on a free loopback port for the cases our server cannot show: the
 * original's behaviour (read the request to end of input, then close having written
 * nothing, or a canned answer) and a server that accepts and never answers.
 */
final class FakePeer implements AutoCloseable {

    private final ServerSocket server;
    private final byte[] reply; // null: never answer
    private final boolean readBody;
    private final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private FakePeer(byte[] reply, boolean readBody) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.reply = reply;
        this.readBody = readBody;
        this.acceptor = new Thread(this::acceptLoop, "fake-peer-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Reads each request to end of input (the client's half-close), writes {@code reply}, closes. */
    static FakePeer answering(byte[] reply) throws IOException {
        return new FakePeer(reply, true);
    }

    /**
     * Reads only the head (up to the blank line), writes {@code reply} and closes with the
     * body unread, as a server refusing a request early may do.
     */
    static FakePeer refusingAfterHead(byte[] reply) throws IOException {
        return new FakePeer(reply, false);
    }

    /** The original server's answer to a publish: zero bytes. */
    static FakePeer originalStyle() throws IOException {
        return new FakePeer(new byte[0], true);
    }

    /** Accepts connections and never answers nor closes them. */
    static FakePeer silent() throws IOException {
        return new FakePeer(null, true);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next complete request received (up to the client's half-close). */
    byte[] nextRequest() throws InterruptedException {
        byte[] r = requests.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no complete request (ended by a half-close) within 10 s");
        }
        return r;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (reply == null) {
                    held.add(s);
                    continue;
                }
                try (s) {
                    InputStream in = s.getInputStream();
                    // readAllBytes returns only at the client's half-close
                    byte[] request = readBody ? in.readAllBytes() : head(in);
                    requests.add(request);
                    s.getOutputStream().write(reply);
                }
            } catch (IOException e) {
                // closed by close(), or one broken client connection: keep serving the next
            }
        }
    }

    private static byte[] head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0; // how much of "\r\n\r\n" has been seen
        for (int c; state < 4 && (c = in.read()) >= 0; ) {
            head.write(c);
            state = c == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : (c == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
