package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against a server that behaves as the original Perl/C++ one: it acts only once the client
 * has half-closed (a peer that reads to end of input would otherwise wait forever) and
 * answers a publish with zero bytes. Also pins the request bytes the client writes.
 */
class OriginalStyleServerTest {

    @Test
    void zeroByteAnswerIsASuccessWithNothingReported() throws Exception {
        try (FakePeer original = FakePeer.originalStyle()) {
            Realplexor rpl = Realplexor.builder()
                    .port(original.port())
                    .namespace("demo_")
                    .readTimeout(Duration.ofSeconds(5))
                    .build();
            SendResult r = rpl.send("Alpha", Map.of("t", "é✓"));

            assertFalse(r.reported());
            assertEquals(Map.of(), r.cursors());
            String body = "{\"t\":\"é✓\"}";
            assertEquals(
                    "POST / HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\n"
                            + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                            + "X-Realplexor: identifier=demo_Alpha\r\n"
                            + "\r\n"
                            + body,
                    new String(original.nextRequest(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void credentialsCursorsAndLimitersGoInTheIdentifierHeader() throws Exception {
        try (FakePeer original = FakePeer.originalStyle()) {
            Realplexor rpl = Realplexor.builder()
                    .port(original.port())
                    .namespace("demo_")
                    .logon("alice", "pw.1")
                    .identifierMarker("ident")
                    .build();
            Map<String, Object> targets = new LinkedHashMap<>();
            targets.put("Alpha", "0012.50");
            targets.put("Beta", null);
            rpl.send(targets, RawJson.of("[1]"), List.of("u1", "u2"));

            String request = new String(original.nextRequest(), StandardCharsets.UTF_8);
            assertTrue(
                    request.contains(
                            "\r\nX-Realplexor: "
                                    + "ident=alice:pw.1@0012.50:alice_demo_Alpha,alice_demo_Beta,*alice_demo_u1,*alice_demo_u2\r\n"),
                    request);
            assertTrue(request.endsWith("\r\n\r\n[1]"), request);
        }
    }

    @Test
    void commandsGoInTheBodyAndZeroBytesMeanNothing() throws Exception {
        try (FakePeer original = FakePeer.originalStyle()) {
            Realplexor rpl = Realplexor.builder()
                    .port(original.port())
                    .namespace("demo_")
                    .logon("bob", "pw")
                    .build();
            assertEquals(List.of(), rpl.online("Al", "Be"));
            assertEquals(List.of(), rpl.watch(12));

            String online = new String(original.nextRequest(), StandardCharsets.UTF_8);
            assertTrue(online.contains("\r\nContent-Length: 31\r\nX-Realplexor: identifier=bob:pw@\r\n\r\n"), online);
            assertTrue(online.endsWith("\r\n\r\nONLINE bob_demo_Al bob_demo_Be\n"), online);
            String watch = new String(original.nextRequest(), StandardCharsets.UTF_8);
            assertTrue(watch.endsWith("\r\n\r\nWATCH 12 bob_demo_\n"), watch);
        }
    }

    @Test
    void originalCommandAnswersAreParsedAndStripped() throws Exception {
        byte[] online = http("demo_Alpha 2\ndemo_Beta 1\n");
        try (FakePeer original = FakePeer.answering(online)) {
            Realplexor rpl = Realplexor.builder()
                    .port(original.port())
                    .namespace("demo_")
                    .build();
            assertEquals(Map.of("Alpha", 2, "Beta", 1), rpl.onlineWithCounters());
        }
        byte[] watch = http("online 12:demo_Alpha\noffline 13:demo_Beta\n");
        try (FakePeer original = FakePeer.answering(watch)) {
            Realplexor rpl = Realplexor.builder()
                    .port(original.port())
                    .namespace("demo_")
                    .build();
            assertEquals(
                    List.of(new WatchEvent("online", 12, "Alpha"), new WatchEvent("offline", 13, "Beta")),
                    rpl.watch(11));
        }
    }

    private static byte[] http(String body) {
        return ("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }
}
