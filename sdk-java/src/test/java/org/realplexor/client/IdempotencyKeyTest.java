package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code send(..., idempotencyKey)}: a retry with the same key is answered, not stored again. */
@ExtendWith(RealServerExtension.class)
class IdempotencyKeyTest {

    private final RealServer server;

    IdempotencyKeyTest(RealServer server) {
        this.server = server;
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstCursorsAndIsStoredOnce() throws Exception {
        Realplexor rpl = server.client().namespace("idk1_").build();
        String key = UUID.randomUUID().toString();
        SendResult first = rpl.send(List.of("Alpha", "Beta"), Map.of("n", 1), null, key);
        SendResult retry = rpl.send(List.of("Alpha", "Beta"), Map.of("n", 1), null, key);
        SendResult async = rpl.sendAsync(List.of("Alpha", "Beta"), Map.of("n", 1), null, key)
                .get(10, TimeUnit.SECONDS);
        assertEquals(first.cursors(), retry.cursors());
        assertEquals(first.cursors(), async.cursors());
        SendResult other = rpl.send(
                List.of("Alpha", "Beta"),
                Map.of("n", 2),
                null,
                UUID.randomUUID().toString());
        assertNotEquals(first.cursors(), other.cursors(), "another key is another message");
        try (WaitListener l = server.listen("0:idk1_Alpha")) {
            List<WaitListener.Part> parts = l.answer();
            assertEquals(2, parts.size(), "the first message once, then the other: " + parts);
            assertEquals(1, parts.get(0).data().get("n").asInt());
            assertEquals(2, parts.get(1).data().get("n").asInt());
        }
    }

    @Test
    void givenCursorsAndLimitersWorkWithAKey() throws Exception {
        Realplexor rpl = server.client().namespace("idk2_").build();
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("Alpha", "0010.50");
        targets.put("Beta", null);
        SendResult first = rpl.send(targets, "x", List.of("Gate"), "order-42");
        assertEquals("0010.50", first.cursors().get("Alpha"));
        SendResult retry =
                rpl.sendAsync(targets, "x", List.of("Gate"), "order-42").get(10, TimeUnit.SECONDS);
        assertEquals(first.cursors(), retry.cursors());
    }

    @Test
    void keysOfTwoLoginsNeverMeet() throws Exception {
        Realplexor alice = server.client()
                .namespace("idk3_")
                .logon("alice", RealServer.PASSWORD)
                .build();
        Realplexor bob = server.client()
                .namespace("idk3_")
                .logon("bob", RealServer.PASSWORD)
                .build();
        SendResult a = alice.send(List.of("Room"), "from alice", null, "shared-key");
        SendResult b = bob.send(List.of("Room"), "from bob", null, "shared-key");
        assertEquals(List.of("Room"), List.copyOf(a.cursors().keySet()));
        assertEquals(List.of("Room"), List.copyOf(b.cursors().keySet()));
        try (WaitListener l = server.listen("0:bob_idk3_Room")) {
            assertEquals("from bob", l.answer().get(0).data().asText(), "bob's message was stored");
        }
    }

    @Test
    void aNullKeyMeansNone() {
        Realplexor rpl = server.client().namespace("idk4_").build();
        SendResult one = rpl.send(List.of("Alpha"), 1, null, null);
        SendResult two = rpl.send(List.of("Alpha"), 1, null, null);
        assertNotEquals(one.cursors(), two.cursors());
    }

    @Test
    void aBadKeyIsRefusedBeforeAnythingIsSent() {
        Realplexor rpl = Realplexor.builder().port(1).build(); // nothing listens: a send would fail otherwise
        for (String bad : List.of("", "a b", "k".repeat(129), "ключ", "tab\tin")) {
            RealplexorException e =
                    assertThrows(RealplexorException.class, () -> rpl.send(List.of("Alpha"), 1, null, bad), bad);
            assertTrue(
                    e.getMessage().startsWith("invalid idempotency key \"" + bad + "\": a key must be 1 to 128"),
                    e.getMessage());
        }
    }

    @Test
    void theLongestKeyTheClientAllowsTheServerAccepts() throws Exception {
        // The SDK's rule is the server's: the longest key the SDK allows is accepted.
        Realplexor rpl = server.client().namespace("idk5_").build();
        String longest = "!~".repeat(64);
        assertEquals(
                rpl.send(List.of("Alpha"), 1, null, longest).cursors(),
                rpl.send(List.of("Alpha"), 2, null, longest).cursors());
    }
}
