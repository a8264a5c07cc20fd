package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Subscription tokens made here, checked by the real server (SIGNED_PREFIXES=sig_). */
@ExtendWith(RealServerExtension.class)
class SubscribeTokenTest {

    private final RealServer server;

    SubscribeTokenTest(RealServer server) {
        this.server = server;
    }

    @Test
    void theFormatMatchesTheServersTestVector() {
        // The vector of PROTOCOL.md section 14 (and of the server's SubscribeTokenTest).
        Clock at = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L - 60), ZoneOffset.UTC);
        assertEquals(
                "1800000000.user_42-room_7.PLjitLMF9AstIkeqIuSlMLTNPfhP6Ahkpu9jTENKinQ",
                SubscribeTokens.make("0123456789abcdef", List.of("user_42", "room_7"), Duration.ofSeconds(60), at));
        assertEquals(
                "1800000000.user_42-room_7.PLjitLMF9AstIkeqIuSlMLTNPfhP6Ahkpu9jTENKinQ",
                SubscribeTokens.make(
                        "0123456789abcdef", List.of("user_42", "room_7"), Instant.ofEpochSecond(1_800_000_000L)));
    }

    @Test
    void aTokenFromTheClientOpensTheSignedIdsOnTheServer() throws Exception {
        Realplexor rpl = server.client().namespace("sig_t1_").build();
        String token = rpl.subscribeToken(RealServer.SUBSCRIBE_SECRET, List.of("Alpha"), Duration.ofMinutes(5));
        assertTrue(token.matches("\\d+\\.sig_t1_Alpha\\.[A-Za-z0-9_-]{43}"), token);
        try (WaitListener l = server.listen("sig_t1_Alpha&token=" + token)) {
            SendResult r = rpl.send("Alpha", Map.of("n", 1));
            List<WaitListener.Part> parts = l.answer();
            assertEquals(
                    Map.of("sig_t1_Alpha", r.cursor("Alpha").orElseThrow()),
                    parts.get(0).ids());
        }
    }

    @Test
    void theServerRefusesWhatTheTokenDoesNotGrant() {
        String other =
                SubscribeTokens.make(RealServer.SUBSCRIBE_SECRET, List.of("sig_t2_Alpha"), Duration.ofMinutes(5));
        String wrongKey =
                SubscribeTokens.make("another-secret-entirely", List.of("sig_t2_Beta"), Duration.ofMinutes(5));
        String expired = SubscribeTokens.make(
                RealServer.SUBSCRIBE_SECRET,
                List.of("sig_t2_Beta"),
                Instant.now().minusSeconds(10));
        for (String query : new String[] {
            "sig_t2_Beta", "sig_t2_Beta&token=" + other, "sig_t2_Beta&token=" + wrongKey, "sig_t2_Beta&token=" + expired
        }) {
            IOException e =
                    assertThrows(IOException.class, () -> server.listen(query).close(), query);
            assertTrue(e.getMessage().contains("HTTP/1.1 403 Forbidden"), e.getMessage());
        }
        IOException e = assertThrows(
                IOException.class,
                () -> server.listen("sig_t2_Beta&token=" + expired).close());
        assertTrue(e.getMessage().contains("X-Realplexor-Token: expired"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedHere() {
        Realplexor rpl = server.client().build();
        assertThrows(RealplexorException.class, () -> rpl.subscribeToken("", List.of("a"), Duration.ofMinutes(1)));
        assertThrows(RealplexorException.class, () -> rpl.subscribeToken("k", List.of(), Duration.ofMinutes(1)));
        assertThrows(RealplexorException.class, () -> rpl.subscribeToken("k", List.of("a-b"), Duration.ofMinutes(1)));
        assertThrows(RealplexorException.class, () -> rpl.subscribeToken("k", List.of("a"), Duration.ZERO));
    }
}
