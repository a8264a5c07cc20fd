package org.realplexor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The two lines as the original's clients use them, over raw sockets (PROTOCOL.md byte formats). */
final class Wire {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WAIT_HEAD_END = "\r\n\r\n \r\n";

    private Wire() {}

    /** An IN answer: status code and body. */
    record Reply(int status, String body) {}

    /** One part of a WAIT answer: its ids with their cursors, and the data as JSON text. */
    record Part(SortedMap<String, String> ids, String data) {}

    /** A publish as the PHP API sends it: head with X-Realplexor, body, half-close. */
    static Reply in(int port, String identifier, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + b.length
                + "\r\nX-Realplexor: identifier=" + identifier + "\r\n\r\n";
        return exchange(port, head + body);
    }

    /** Publishes and returns the answer's {@code ID CURSOR} lines, failing unless it is a 200. */
    static Map<String, String> publish(int port, String identifier, String body) {
        Reply r = in(port, identifier, body);
        assertEquals(200, r.status(), "publish answer: " + r.body());
        Map<String, String> cursors = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isEmpty()) continue;
            String[] f = line.split(" ");
            cursors.put(f[0], f[1]);
        }
        return cursors;
    }

    /** ONLINE / WATCH / STATS with arguments; the answer body. */
    static String command(int port, String command) {
        Reply r = exchange(port, command + "\n");
        assertEquals(200, r.status(), command + " answer: " + r.body());
        return r.body();
    }

    static Poll poll(int port, String identifier) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.getOutputStream()
                    .write(("GET /?identifier=" + identifier + "&ncrnd=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            Poll p = new Poll(s);
            p.readHead();
            return p;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException("WAIT to " + port, e);
        }
    }

    /** A registered long poll: its head has been read, the answer is pending. */
    static final class Poll implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        private Poll(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        private void readHead() throws IOException {
            socket.setSoTimeout(5000);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!got.toString(StandardCharsets.ISO_8859_1).endsWith(WAIT_HEAD_END)) {
                int c = in.read();
                if (c < 0) fail("WAIT closed before its head: " + got.toString(StandardCharsets.ISO_8859_1));
                got.write(c);
            }
            assertTrue(got.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\n"));
        }

        /** The answer's parts, once the server has answered and closed. */
        List<Part> parts(Duration timeout) {
            return parse(body(timeout));
        }

        String body(Duration timeout) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buf = new byte[8192];
            try {
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) throw new SocketTimeoutException();
                    socket.setSoTimeout((int) left);
                    int r = in.read(buf);
                    if (r < 0) break;
                    got.write(buf, 0, r);
                }
            } catch (SocketTimeoutException e) {
                fail("no answer within " + timeout + "; got so far: " + got.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("reading a WAIT answer", e);
            }
            return got.toString(StandardCharsets.UTF_8);
        }

        /** Nothing arrives for {@code quiet} and the poll stays open. */
        void assertWaiting(Duration quiet) {
            try {
                socket.setSoTimeout((int) quiet.toMillis());
                int c = in.read();
                fail(
                        c < 0
                                ? "the poll was closed"
                                : "the poll got an answer: " + (char) c
                                        + new String(in.readNBytes(in.available()), StandardCharsets.UTF_8));
            } catch (SocketTimeoutException expected) {
                // still waiting, as it should
            } catch (IOException e) {
                fail("the poll broke: " + e);
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
    }

    static List<Part> parse(String body) {
        List<Part> parts = new ArrayList<>();
        if (body.isEmpty()) return parts;
        try {
            for (JsonNode p : JSON.readTree(body)) {
                SortedMap<String, String> ids = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = p.get("ids").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    ids.put(e.getKey(), e.getValue().asText());
                }
                parts.add(new Part(ids, p.get("data").toString()));
            }
        } catch (IOException e) {
            fail("not a WAIT answer: " + body);
        }
        return parts;
    }

    private static Reply exchange(int port, String request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int sp = all.indexOf(' ');
            int end = all.indexOf("\r\n\r\n");
            if (sp < 0 || end < 0) fail("not an HTTP answer: '" + all + "'");
            return new Reply(Integer.parseInt(all.substring(sp + 1, sp + 4)), all.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException("IN to " + port, e);
        }
    }
}
