package org.realplexor.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A browser's long poll, done by hand on the WAIT line: {@code GET /?identifier=...}. Opening
 * returns once the answer's head has arrived, which the server sends when it has registered
 * the ids, so a publish after {@link #open} is sure to be seen by this listener.
 */
final class WaitListener implements AutoCloseable {

    /** One part of the answer: the listener's ids the message is stored under, and its data. */
    record Part(Map<String, String> ids, JsonNode data) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int ANSWER_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int headLength;

    private WaitListener(Socket socket) {
        this.socket = socket;
    }

    static WaitListener open(int waitPort, String identifierList) throws IOException {
        Socket socket = new Socket("127.0.0.1", waitPort);
        socket.setSoTimeout(ANSWER_TIMEOUT_MS);
        WaitListener l = new WaitListener(socket);
        socket.getOutputStream()
                .write(("GET /?identifier=" + identifierList + "&ncrnd=1 HTTP/1.1\r\n" + "Host: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        l.readHead();
        return l;
    }

    private void readHead() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            int end = indexOf(received.toByteArray(), HEAD_END);
            if (end >= 0) {
                headLength = end + HEAD_END.length;
                String head = new String(received.toByteArray(), 0, headLength, StandardCharsets.ISO_8859_1);
                if (!head.startsWith("HTTP/1.1 200 OK\r\n")) {
                    throw new IOException("unexpected WAIT head: " + head);
                }
                return;
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException(
                        "WAIT line closed before the head: " + received.toString(StandardCharsets.ISO_8859_1));
            }
            received.write(buf, 0, n);
        }
    }

    /** Reads the answer to the server's close; an answer without messages gives no parts. */
    List<Part> answer() throws IOException {
        String body = rawBody().strip();
        List<Part> parts = new ArrayList<>();
        if (body.isEmpty()) {
            return parts;
        }
        for (JsonNode part : JSON.readTree(body)) {
            Map<String, String> ids = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = part.get("ids").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ids.put(e.getKey(), e.getValue().asText());
            }
            parts.add(new Part(ids, part.get("data")));
        }
        return parts;
    }

    /** The answer's body after the head (including the leading " \r\n"), read to the close. */
    String rawBody() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                received.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException(
                    "no complete WAIT answer within " + ANSWER_TIMEOUT_MS + " ms; so far: "
                            + received.toString(StandardCharsets.UTF_8),
                    e);
        }
        byte[] all = received.toByteArray();
        return new String(all, headLength, all.length - headLength, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
