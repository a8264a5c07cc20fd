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
        long len = len7 < 126 ? len7
                : len7 == 126 ? ByteBuffer.wrap(c.readExactly(2, T)).getShort() & 0xFFFF
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
            String handshake = "GET /?identifier=frames HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
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
}
