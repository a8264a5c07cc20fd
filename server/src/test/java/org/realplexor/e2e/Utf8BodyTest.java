package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * One message reaches every transport the same: a body that is not UTF-8 is refused on the IN
 * line (a WebSocket text frame and an EventSource can carry nothing else), and a UTF-8 body
 * with multi-byte characters arrives byte for byte in a long-poll, an SSE event and a frame.
 */
class Utf8BodyTest {
    private static final Duration T = Duration.ofSeconds(5);
    private static final byte[] DATA_KEY = Bytes.utf8("\"data\":");

    /** A long-poll, an EventSource and a WebSocket, all on {@code id}, each past its head and first event. */
    private record Listeners(Poll poll, Conn sse, Conn ws) implements AutoCloseable {
        static Listeners on(E2eServer s, String id) {
            Poll poll = s.listen(id);
            Conn sse = s.waitConn();
            sse.send("GET /?identifier=" + id + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
            sse.readUntil(Bytes.utf8("\r\n\r\n"), T);
            String cursors = Bytes.str(event(sse));
            assertTrue(cursors.contains("event: cursors"), cursors);
            Conn ws = s.waitConn();
            ws.send("GET /?identifier=" + id + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            String head = Bytes.str(ws.readUntil(Bytes.utf8("\r\n\r\n"), T));
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(Bytes.str(frame(ws)).startsWith("{\"cursors\":"), "cursors frame first");
            return new Listeners(poll, sse, ws);
        }

        /** Nothing but heartbeats (an SSE comment, a WebSocket ping) for a while on any of them. */
        void assertSilent() {
            Duration quiet = Duration.ofMillis(300);
            poll.assertWaiting(quiet);
            assertEquals("", Bytes.str(sse.readFor(quiet)).replace(":\n\n", ""), "SSE");
            byte[] got = ws.readFor(quiet);
            for (int i = 0; i < got.length; i += 2 + (got[i + 1] & 0x7F)) {
                assertEquals(0x89, got[i] & 0xFF, "only pings on the WebSocket: " + Bytes.visible(got));
            }
        }

        /** RAW (the published bytes) from each transport: long-poll, SSE, WebSocket. */
        byte[][] nextData() {
            byte[] answer = poll.answerBytes();
            byte[] event = event(sse);
            byte[] frame = frame(ws);
            // {"ids":{...},"data":RAW} on one data: line (RAW has no line end here).
            String ev = Bytes.str(event);
            assertTrue(ev.startsWith("id: ") && ev.indexOf("\ndata: ") > 0, ev);
            byte[] sseJson = Arrays.copyOfRange(event, indexOf(event, Bytes.utf8("\ndata: ")) + 7, event.length - 2);
            // "data": RAW\n  }\n] in the long-poll answer (PROTOCOL.md §4)
            int at = indexOf(answer, DATA_KEY) + DATA_KEY.length + 1;
            byte[] pollRaw = Arrays.copyOfRange(answer, at, answer.length - "\n  }\n]".length());
            return new byte[][] {pollRaw, rawOf(sseJson), rawOf(frame)};
        }

        @Override
        public void close() {
            poll.close();
            sse.close();
            ws.close();
        }
    }

    /** RAW in {@code {"ids":{...},"data":RAW}}. */
    private static byte[] rawOf(byte[] json) {
        int at = indexOf(json, DATA_KEY) + DATA_KEY.length;
        assertEquals('}', json[json.length - 1], Bytes.visible(json));
        return Arrays.copyOfRange(json, at, json.length - 1);
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) if (b[i + k] != what[k]) continue outer;
            return i;
        }
        throw new AssertionError("no " + Bytes.visible(what) + " in " + Bytes.visible(b));
    }

    /** The next SSE event, heartbeat comments skipped. */
    private static byte[] event(Conn c) {
        while (true) {
            byte[] e = c.readUntil(Bytes.utf8("\n\n"), T);
            if (!Bytes.str(e).equals(":\n\n")) return e;
        }
    }

    /** The next unmasked text frame's payload, pings skipped. */
    private static byte[] frame(Conn c) {
        byte[] h = c.readExactly(2, T);
        if ((h[0] & 0xFF) == 0x89) {
            c.readExactly(h[1] & 0x7F, T);
            return frame(c);
        }
        assertEquals(0x81, h[0] & 0xFF, "FIN, text");
        int len7 = h[1] & 0x7F;
        long len = len7 < 126
                ? len7
                : len7 == 126
                        ? ByteBuffer.wrap(c.readExactly(2, T)).getShort() & 0xFFFF
                        : ByteBuffer.wrap(c.readExactly(8, T)).getLong();
        return c.readExactly((int) len, T);
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedAndReachesNoListener() {
        try (E2eServer s = E2eServer.start("STREAM_HEARTBEAT", "60");
                Listeners l = Listeners.on(s, "u8bad")) {
            byte[][] bad = {
                Bytes.concat(Bytes.utf8("{\"t\":\""), new byte[] {(byte) 0xFF}, Bytes.utf8("\"}")),
                Bytes.concat(
                        Bytes.utf8("\"Привет"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, Bytes.utf8("\"")),
                Bytes.concat(Bytes.utf8("\"x"), new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}),
            };
            int[] offsets = {6, 13, 2};
            for (int i = 0; i < bad.length; i++) {
                String why =
                        "the message body is not valid UTF-8 (byte offset " + offsets[i] + "); nothing was published\n";
                Bytes.assertBytes(
                        "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " + why.length()
                                + "\r\nConnection: close\r\n\r\n" + why,
                        s.inExchange(E2eServer.phpRequest("u8bad", bad[i])),
                        "answer");
            }
            l.assertSilent();
            // The next message is the first each listener gets: nothing was stored before it.
            String cursor = s.send("u8bad", "\"ok\"");
            for (byte[] raw : l.nextData()) assertEquals("\"ok\"", Bytes.str(raw));
            assertTrue(cursor.length() > 0);
        }
    }

    @Test
    void multiByteUtf8ReachesEveryTransportByteForByte() {
        try (E2eServer s = E2eServer.start("STREAM_HEARTBEAT", "60");
                Listeners l = Listeners.on(s, "u8ok")) {
            byte[] body = Bytes.utf8("{\"text\":\"Привет, мир! 😀 € ü 中文\",\"n\":1}");
            s.publish("u8ok", body);
            byte[][] got = l.nextData();
            String[] names = {"long-poll", "SSE", "WebSocket"};
            for (int i = 0; i < got.length; i++) Bytes.assertBytes(body, got[i], names[i]);
        }
    }
}
