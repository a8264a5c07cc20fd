package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Garbage bytes and abrupt clients on both ports: the server keeps serving (§1). */
class GarbageTest {

    @Test
    void garbageOnBothPortsLeavesTheServerServing() {
        try (E2eServer s = E2eServer.start()) {
            Random random = new Random(20240601);
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[1 + random.nextInt(12_000)];
                random.nextBytes(junk);
                int port = i % 2 == 0 ? s.waitPort() : s.inPort();
                try (Conn c = Conn.open(port)) {
                    switch (i % 4) {
                        case 0, 1 -> c.send(junk).halfClose().readFor(Duration.ofMillis(300));
                        case 2 -> c.send(junk).abort();
                        default -> c.abort();
                    }
                } catch (UncheckedIOException serverDroppedUs) {
                    // closing or resetting a garbage connection early is the server's right
                }
            }
            try (Conn c = s.waitConn()) {
                c.send("GET /?identifier=\u0000\u00ff HTTP/1.1\r\n\r\n");
                c.readFor(Duration.ofMillis(300));
            }
            try (Conn c = s.inConn()) {
                c.send("\r\n\r\n\r\n").halfClose().readFor(Duration.ofMillis(300));
            }
            try (Poll p = s.listen("after_garbage")) {
                String cursor = s.send("after_garbage", "\"still here\"");
                assertBytes(
                        answer(part("\"still here\"", "after_garbage", cursor)),
                        p.answerBytes(),
                        "server still serves");
            }
            assertEquals("FAKE 11:FAKE\n", s.watch("0"), "garbage registered no ids");
        }
    }
}
