package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.realplexor.auth.SubscribeToken;
import org.realplexor.config.ConfigPrint;
import org.realplexor.config.SettingsLoader;

/**
 * Signed subscriptions (SIGNED_PREFIXES, SUBSCRIBE_SECRET): polls and streams for signed ids need
 * a token granting them; the other ids of a request are served as ever.
 */
class SignedSubscriptionsTest {
    private static final Duration T = Duration.ofSeconds(5);
    static final String SECRET = "e2e-subscribe-secret-0123";
    private static final SubscribeToken KEY = new SubscribeToken(SECRET);

    private static E2eServer signed() {
        return E2eServer.start("SUBSCRIBE_SECRET", SECRET, "SIGNED_PREFIXES", "user_,private_");
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static String valid(String... ids) {
        return KEY.make(List.of(ids), now() + 600);
    }

    static String expired(String... ids) {
        return KEY.make(List.of(ids), now() - 5);
    }

    private static String get(String query, String headers) {
        return "GET /?" + query + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
    }

    private static String head(Conn c) {
        return Bytes.str(c.readUntil(Bytes.utf8("\r\n\r\n"), T));
    }

    /** A request answered at once and closed: its whole answer. */
    private static String refused(E2eServer s, String request) {
        try (Conn c = s.waitConn()) {
            return Bytes.str(c.send(request).readToEof(T));
        }
    }

    private static String forbidden(String reason, String ids, String cors) {
        String advice = switch (reason) {
            case "expired" -> "ask the back end for a fresh one";
            case "invalid" -> "the token is malformed or not signed with SUBSCRIBE_SECRET";
            default -> "these ids need a token=... granting them (SIGNED_PREFIXES)";
        };
        String body = "token " + reason + " for " + ids + ": " + advice + "\n";
        return "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n" + cors
                + "X-Realplexor-Refused: " + ids + "\r\nX-Realplexor-Token: " + reason + "\r\n"
                + (cors.isEmpty() ? "" : "Access-Control-Expose-Headers: X-Realplexor-Token, X-Realplexor-Refused\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void aValidTokenOpensASignedIdAndOtherIdsNeedNone() {
        try (E2eServer s = signed()) {
            try (Poll p = s.listenRaw(get("identifier=user_1&token=" + valid("user_1", "user_9") + "&ncrnd=1", ""))) {
                String cur = s.send("user_1", "\"hi\"");
                assertBytes(answer(part("\"hi\"", "user_1", cur)), p.answerBytes(), "the signed id's message");
            }
            // The original's clients, unchanged, on ids outside the prefixes: byte for byte as before.
            try (Poll p = s.listen("news")) {
                String cur = s.send("news", "\"n\"");
                assertBytes(answer(part("\"n\"", "news", cur)), p.answerBytes(), "an unsigned id");
            }
        }
    }

    @Test
    void expiredTamperedAndMissingTokensGet403SayingWhich() {
        try (E2eServer s = signed()) {
            String good = valid("user_1");
            String tampered = good.replace("user_1", "user_2");
            String wrongKey = new SubscribeToken(SECRET + "x").make(List.of("user_1"), now() + 600);
            assertEquals(
                    forbidden("expired", "user_1", ""),
                    refused(s, get("identifier=user_1&token=" + expired("user_1"), "")));
            assertEquals(
                    forbidden("invalid", "user_2", ""), refused(s, get("identifier=user_2&token=" + tampered, "")));
            assertEquals(
                    forbidden("invalid", "user_1", ""), refused(s, get("identifier=user_1&token=" + wrongKey, "")));
            assertEquals(forbidden("invalid", "user_1", ""), refused(s, get("identifier=user_1&token=garbage", "")));
            assertEquals(forbidden("missing", "user_1", ""), refused(s, get("identifier=user_1", "")));
            assertEquals(
                    forbidden("missing", "user_2,private_x", ""),
                    refused(s, get("identifier=user_2,private_x&token=" + good, "")),
                    "a token for other ids");
            // A page on another origin can read why (CORS headers and the exposed ones).
            String origin = "Origin: https://app.example.com\r\n";
            assertEquals(
                    forbidden(
                            "expired",
                            "user_1",
                            "Access-Control-Allow-Origin: https://app.example.com\r\nVary: Origin\r\n"),
                    refused(s, get("identifier=user_1&token=" + expired("user_1"), origin)));
            assertEquals("", s.online(), "nothing was registered");
        }
    }

    @Test
    void mixedIdsServeTheUnsignedOnesAndNameTheRefusedInTheHead() {
        try (E2eServer s = signed();
                Conn c = s.waitConn()) {
            c.send(get(
                    "identifier=user_1,news,private_2&token=" + valid("private_2"),
                    "Origin: https://app.example.com\r\n"));
            String head = head(c);
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(
                    head.contains("\r\nX-Realplexor-Refused: user_1\r\nX-Realplexor-Token: missing\r\n"
                            + "Access-Control-Expose-Headers: X-Realplexor-Token, X-Realplexor-Refused\r\n"),
                    head);
            assertEquals(" \r\n", Bytes.str(c.readExactly(3, T)), "the space line after the head");
            assertEquals(
                    List.of("news 1", "private_2 1"), List.of(s.online().split("\n")), "user_1 is not listened to");
            s.send("user_1", "\"secret\"");
            c.assertSilentFor(Duration.ofMillis(300));
            String cur = s.send("news", "\"n\"");
            assertEquals(answer(part("\"n\"", "news", cur)), Bytes.str(c.readToEof(T)));
        }
    }

    @Test
    void anExpiredTokenOnMixedIdsSaysExpired() {
        try (E2eServer s = signed();
                Conn c = s.waitConn()) {
            c.send(get("identifier=user_1,news&token=" + expired("user_1"), ""));
            String head = head(c);
            assertTrue(
                    head.startsWith("HTTP/1.1 200 OK\r\n") && head.contains("X-Realplexor-Token: expired\r\n"), head);
            assertFalse(head.contains("Access-Control-Expose-Headers"), "no CORS without Origin: " + head);
        }
    }

    @Test
    void severalTokensAddUp() {
        try (E2eServer s = signed()) {
            String q = "identifier=user_1,private_2&token=" + valid("user_1") + "&token=" + valid("private_2");
            try (Poll p = s.listenRaw(get(q, ""))) {
                String cur = s.send("private_2", "\"p\"");
                assertBytes(answer(part("\"p\"", "private_2", cur)), p.answerBytes(), "both granted");
            }
        }
    }

    @Test
    void eventSourceStreamsAreCheckedToo() {
        try (E2eServer s = signed()) {
            String sse = "Accept: text/event-stream\r\n";
            assertEquals(forbidden("missing", "user_1", ""), refused(s, get("identifier=user_1", sse)));
            assertEquals(
                    forbidden("expired", "user_1", ""),
                    refused(s, get("identifier=user_1&token=" + expired("user_1"), sse)));
            try (Conn c = s.waitConn()) {
                c.send(get("identifier=user_1,news&token=" + valid("user_1"), sse));
                String head = head(c);
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.contains("text/event-stream"), head);
                assertFalse(head.contains("X-Realplexor"), head);
                String cursors = Bytes.str(c.readUntil(Bytes.utf8("\n\n"), T));
                assertTrue(cursors.contains("\"user_1\":") && cursors.contains("\"news\":"), cursors);
            }
            try (Conn c = s.waitConn()) {
                c.send(get("identifier=user_1,news", sse));
                String head = head(c);
                assertTrue(head.contains("X-Realplexor-Refused: user_1\r\n"), head);
                String cursors = Bytes.str(c.readUntil(Bytes.utf8("\n\n"), T));
                assertTrue(!cursors.contains("user_1") && cursors.contains("\"news\":"), cursors);
            }
        }
    }

    @Test
    void webSocketStreamsAreCheckedToo() {
        String ws = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        try (E2eServer s = signed()) {
            assertEquals(
                    forbidden("expired", "user_1", ""),
                    refused(s, get("identifier=user_1&token=" + expired("user_1"), ws)));
            assertEquals(forbidden("invalid", "user_1", ""), refused(s, get("identifier=user_1&token=x", ws)));
            try (Conn c = s.waitConn()) {
                c.send(get("identifier=user_1,news&token=" + valid("user_1"), ws));
                assertTrue(head(c).startsWith("HTTP/1.1 101 "));
                String first = Bytes.str(c.readExactly(2 + 2, T)); // {"cursors":...} frame starts
                assertTrue(first.endsWith("{\""), first);
                assertTrue(s.online().contains("user_1 1"), "the signed id listens");
            }
            try (Conn c = s.waitConn()) {
                c.send(get("identifier=user_1,news", ws));
                String head = head(c);
                assertTrue(head.startsWith("HTTP/1.1 101 ") && head.contains("X-Realplexor-Refused: user_1\r\n"), head);
            }
        }
    }

    @Test
    void aReloadChangesTheSecretAndThePrefixes() {
        try (E2eServer s = signed()) {
            String token = valid("user_1");
            s.reload("SUBSCRIBE_SECRET", SECRET + "-rotated");
            assertEquals(forbidden("invalid", "user_1", ""), refused(s, get("identifier=user_1&token=" + token, "")));
            s.reload("SIGNED_PREFIXES", "");
            try (Poll p = s.listen("user_1")) {
                String cur = s.send("user_1", "1");
                assertBytes(answer(part("1", "user_1", cur)), p.answerBytes(), "no prefixes: off");
            }
        }
    }

    @Test
    void offByDefaultATokenParameterChangesNothing() {
        try (E2eServer s = E2eServer.start();
                Poll p = s.listenRaw(get("identifier=user_1&token=junk", ""))) {
            String cur = s.send("user_1", "1");
            assertBytes(answer(part("1", "user_1", cur)), p.answerBytes(), "served");
        }
    }

    @Test
    void theSecretIsNeverPrinted() throws Exception {
        SettingsLoader loader = SettingsLoader.fromArgs(
                new String[] {"--set", "SUBSCRIBE_SECRET=" + SECRET, "--set", "SIGNED_PREFIXES=user_"}, Map.of());
        String out = ConfigPrint.render(loader.read(null));
        assertTrue(out.matches("(?s).*\nSUBSCRIBE_SECRET = \\*\\*\\*\\* +# .*"), out);
        assertFalse(out.contains(SECRET), out);
    }
}
