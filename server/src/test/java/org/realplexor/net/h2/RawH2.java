package org.realplexor.net.h2;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A bare HTTP/2 client for the tests that need frames no polite client sends: more streams than
 * the server allows, floods of HEADERS and RST_STREAM. Requests are HPACK literals without
 * indexing (no dynamic table, no Huffman); answers are read as frames, their headers not decoded.
 */
final class RawH2 implements AutoCloseable {
    static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8;
    static final int END_STREAM = 1, END_HEADERS = 4, ACK = 1;
    static final int REFUSED_STREAM = 7, CANCEL = 8, ENHANCE_YOUR_CALM = 11;

    record Frame(int type, int flags, int stream, byte[] payload) {
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24)
                    | ((payload[at + 1] & 0xff) << 16)
                    | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;

    /** Connects with ALPN h2, sends the preface and empty SETTINGS, and acknowledges the server's. */
    RawH2(SSLContext ctx, int port) throws IOException {
        socket = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port);
        socket.setSoTimeout(20_000);
        var p = socket.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(p);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol()))
            throw new IOException("ALPN chose " + socket.getApplicationProtocol());
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        frame(SETTINGS, 0, 0, new byte[0]);
        // A large connection window: the tests read answers only when they choose to.
        frame(WINDOW_UPDATE, 0, 0, new byte[] {0x3f, (byte) 0xff, 0, 0});
        out.flush();
    }

    /** Reads until the server's SETTINGS, acknowledges them, and returns them. */
    Frame settings() throws IOException {
        for (; ; ) {
            Frame f = read();
            if (f.type == SETTINGS && (f.flags & ACK) == 0) {
                frame(SETTINGS, ACK, 0, new byte[0]);
                out.flush();
                return f;
            }
        }
    }

    /** A GET on {@code stream} (odd, rising) for {@code path}, END_STREAM set; not flushed. */
    RawH2 get(int stream, String path, String... extra) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, ":method", "GET");
        literal(block, ":scheme", "https");
        literal(block, ":authority", "localhost");
        literal(block, ":path", path);
        for (int i = 0; i + 1 < extra.length; i += 2) literal(block, extra[i], extra[i + 1]);
        frame(HEADERS, END_STREAM | END_HEADERS, stream, block.toByteArray());
        return this;
    }

    RawH2 reset(int stream, int code) throws IOException {
        frame(RST_STREAM, 0, stream, new byte[] {
            (byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code
        });
        return this;
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The next frame; PINGs are answered and SETTINGS acknowledged on the way. */
    Frame read() throws IOException {
        for (; ; ) {
            int len = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[len];
            in.readFully(payload);
            if (type == PING && (flags & ACK) == 0) {
                frame(PING, ACK, 0, payload);
                out.flush();
                continue;
            }
            return new Frame(type, flags, stream, payload);
        }
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] h = {
            (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8),
            (byte) payload.length,
            (byte) type,
            (byte) flags,
            (byte) (stream >>> 24),
            (byte) (stream >>> 16),
            (byte) (stream >>> 8),
            (byte) stream
        };
        out.write(h);
        out.write(payload);
    }

    /** Literal header field without indexing, new name (RFC 7541, 6.2.2), no Huffman. */
    private static void literal(ByteArrayOutputStream b, String name, String value) {
        b.write(0);
        string(b, name.getBytes(StandardCharsets.ISO_8859_1));
        string(b, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void string(ByteArrayOutputStream b, byte[] s) {
        int n = s.length;
        if (n < 127) {
            b.write(n);
        } else {
            b.write(127);
            n -= 127;
            while (n >= 128) {
                b.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            b.write(n);
        }
        b.write(s, 0, s.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
