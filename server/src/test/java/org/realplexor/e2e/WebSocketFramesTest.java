package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * WebSocket text frames as the server writes them for messages (rendered once per id and
 * shared): unmasked, FIN set, and each of the three length forms of RFC 6455 §5.2.
 */
class WebSocketFramesTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** Reads one frame; returns its opcode in the first byte of the result's text, then the payload. */
    private static String[] frame(Conn c) {
        byte[] h = c.readExactly(2, T);
        assertEquals(0x80, h[0] & 0x80, "FIN set");
        assertEquals(0, h[1] & 0x80, "server frames are not masked");
        int len7 = h[1] & 0x7F;
        long len = len7 < 126
                ? len7
                : len7 == 126
                        ? ByteBuffer.wrap(c.readExactly(2, T)).getShort() & 0xFFFF
                        : ByteBuffer.wrap(c.readExactly(8, T)).getLong();
        if (len7 == 126) assertTrue(len >= 126, "16-bit length only from 126 on");
        if (len7 == 127) assertTrue(len > 0xFFFF, "64-bit length only past 65535");
        byte[] payload = c.readExactly((int) len, T);
        return new String[] {String.valueOf(h[0] & 0x0F), new String(payload, StandardCharsets.UTF_8)};
    }

    @Test
    void messagesOfEveryLengthFormArriveWhole() {
        try (E2eServer s = E2eServer.start("IN_MAXLEN", "200000");
                Conn ws = Conn.open(s.waitPort());
                Conn second = Conn.open(s.waitPort())) {
            String handshake =
                    "GET /?identifier=frames HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            for (Conn c : new Conn[] {ws, second}) {
                String head = Bytes.str(c.send(handshake).readUntil(Bytes.utf8("\r\n\r\n"), T));
                assertTrue(head.startsWith("HTTP/1.1 101 "), head);
                String[] cursors = frame(c);
                assertEquals("1", cursors[0], "text frame");
                assertTrue(cursors[1].startsWith("{\"cursors\":{\"frames\":\""), cursors[1]);
            }
            for (int size : new int[] {10, 90, 200, 65000, 70000}) {
                String body = "\"" + "w".repeat(size) + "\"";
                String cursor = s.send("frames", body);
                String expected = "{\"ids\":{\"frames\":\"" + cursor + "\"},\"data\":" + body + "}";
                for (Conn c : new Conn[] {ws, second}) {
                    String[] f = frame(c);
                    assertEquals("1", f[0], "text frame for " + size);
                    assertEquals(expected, f[1], "payload of " + size + " bytes, on both connections");
                }
            }
        }
    }

    @Test
    void aHandshakeWhoseKeyIsNotSixteenBytesInBase64Gets400AndListensToNothing() {
        try (E2eServer s = E2eServer.start()) {
            for (String key : new String[] {"not base64 at all!", "c2hvcnQ=", "dGhlIHNhbXBsZSBub25jZSBidXQgbG9uZ2Vy"}) {
                try (Conn c = Conn.open(s.waitPort())) {
                    String got =
                            Bytes.str(c.send("GET /?identifier=badkey HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                            + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key
                                            + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                                    .readToEof(T));
                    assertTrue(
                            got.startsWith("HTTP/1.1 400 Bad Request\r\n") && got.contains("Sec-WebSocket-Key"),
                            key + ": " + got);
                }
            }
            assertEquals("", s.online("badkey"), "no handshake made badkey online");
        }
    }

    private static final String HANDSHAKE = "GET /?identifier=wsabuse HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static Conn upgraded(E2eServer s) {
        Conn c = Conn.open(s.waitPort());
        String head = Bytes.str(c.send(HANDSHAKE).readUntil(Bytes.utf8("\r\n\r\n"), T));
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        assertEquals("1", frame(c)[0], "the cursors frame");
        return c;
    }

    @Test
    void aClientThatPingsWithoutReadingThePongsIsClosed() {
        try (E2eServer s = E2eServer.start();
                Conn c = upgraded(s)) {
            // A masked ping with the largest control payload (125 bytes), repeated in 1 MB writes.
            byte[] ping = new byte[2 + 4 + 125];
            ping[0] = (byte) 0x89;
            ping[1] = (byte) (0x80 | 125);
            byte[] batch = new byte[ping.length * 8000];
            for (int i = 0; i < 8000; i++) System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
            boolean closed = false;
            for (int mb = 0; mb < 128 && !closed; mb++) {
                try {
                    c.send(batch);
                } catch (java.io.UncheckedIOException e) {
                    closed = true; // the server ended the connection instead of piling up pongs
                }
            }
            assertTrue(closed, "128 MB of pings and never a pong read, yet the connection stayed open");
            try (Poll p = s.listen("wsabuse_after")) {
                String cur = s.send("wsabuse_after", "1");
                org.realplexor.e2e.Bytes.assertBytes(
                        Expect.answer(Expect.part("1", "wsabuse_after", cur)),
                        p.answerBytes(),
                        "the server still serves others");
            }
        }
    }

    @Test
    void aProtocolErrorGetsACloseFrameBeforeTheConnectionEnds() {
        try (E2eServer s = E2eServer.start();
                Conn c = upgraded(s)) {
            c.send(new byte[] {(byte) 0x81, 0x02, 'h', 'i'}); // unmasked: clients must mask (RFC 6455 5.1)
            byte[] h = c.readExactly(2, T);
            assertEquals(0x88, h[0] & 0xFF, "a Close frame");
            byte[] code = c.readExactly(h[1] & 0x7F, T);
            assertEquals(1002, ((code[0] & 0xFF) << 8) | (code[1] & 0xFF), "protocol error");
        }
    }
}
