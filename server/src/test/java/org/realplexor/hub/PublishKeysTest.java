package org.realplexor.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.realplexor.protocol.Cursor;

/** The embedded engine's idempotency keys: claims, waiting retries, expiry and the byte budget. */
class PublishKeysTest {
    private static final long WINDOW = 1000;
    private static final long BUDGET = 1 << 20;
    private static final Map<String, Cursor> TARGETS = targets("a", null);
    private static final Map<String, Cursor> ANSWER = targets("a", Cursor.of("17.5"));

    private static Map<String, Cursor> targets(String id, Cursor c) {
        Map<String, Cursor> m = new LinkedHashMap<>();
        m.put(id, c);
        return m;
    }

    @Test
    void aNewKeyIsClaimedAndARepeatGetsItsAnswer() {
        PublishKeys keys = new PublishKeys();
        assertNull(keys.claim("k", TARGETS, 0, WINDOW, BUDGET), "a new key: the caller publishes");
        keys.stored("k", ANSWER);
        Future<Map<String, Cursor>> repeat = keys.claim("k", TARGETS, 10, WINDOW, BUDGET);
        assertTrue(repeat.succeeded());
        assertSame(ANSWER, repeat.result());
    }

    @Test
    void aRetryDuringTheFirstPublishWaitsForItsAnswer() {
        PublishKeys keys = new PublishKeys();
        assertNull(keys.claim("k", TARGETS, 0, WINDOW, BUDGET));
        Future<Map<String, Cursor>> r1 = keys.claim("k", TARGETS, 1, WINDOW, BUDGET);
        Future<Map<String, Cursor>> r2 = keys.claim("k", TARGETS, 2, WINDOW, BUDGET);
        assertFalse(r1.isComplete(), "no answer before the first publish is stored");
        keys.stored("k", ANSWER);
        assertSame(ANSWER, r1.result());
        assertSame(ANSWER, r2.result());
    }

    @Test
    void aFailedFirstPublishFailsItsWaitersAndFreesTheKey() {
        PublishKeys keys = new PublishKeys();
        assertNull(keys.claim("k", TARGETS, 0, WINDOW, BUDGET));
        Future<Map<String, Cursor>> waiting = keys.claim("k", TARGETS, 1, WINDOW, BUDGET);
        RuntimeException down = new RuntimeException("store down");
        keys.failed("k", down);
        assertSame(down, waiting.cause());
        assertEquals(0, keys.size());
        assertEquals(0, keys.bytes());
        assertNull(keys.claim("k", TARGETS, 2, WINDOW, BUDGET), "nothing was stored: the next retry publishes");
    }

    @Test
    void aKeyExpiresWhenItsWindowEnds() {
        PublishKeys keys = new PublishKeys();
        assertNull(keys.claim("k", TARGETS, 0, WINDOW, BUDGET));
        keys.stored("k", ANSWER);
        assertTrue(keys.claim("k", TARGETS, WINDOW - 1, WINDOW, BUDGET).succeeded(), "within the window");
        assertNull(keys.claim("k", TARGETS, WINDOW, WINDOW, BUDGET), "at its end the key is new again");
        assertEquals(1, keys.size());
    }

    @Test
    void expiredKeysGiveTheirBytesBackFromTheFront() {
        PublishKeys keys = new PublishKeys();
        for (int i = 0; i < 10; i++) {
            assertNull(keys.claim("k" + i, TARGETS, i, WINDOW, BUDGET));
            keys.stored("k" + i, ANSWER);
        }
        assertEquals(10 * PublishKeys.estimate("k0", TARGETS), keys.bytes());
        assertNull(keys.claim("new", TARGETS, WINDOW + 4, WINDOW, BUDGET));
        assertEquals(6, keys.size(), "k0..k4 expired and went; k5..k9 and the new key stay");
    }

    @Test
    void aKeyThatExpiredBehindALongerLivedOneIsNewAgain() {
        PublishKeys keys = new PublishKeys();
        assertNull(keys.claim("long", TARGETS, 0, WINDOW, BUDGET));
        keys.stored("long", ANSWER);
        assertNull(keys.claim("short", TARGETS, 1, 10, BUDGET)); // a reload shortened the window
        keys.stored("short", ANSWER);
        assertNull(keys.claim("short", TARGETS, 20, 10, BUDGET), "expired, though the front has not reached it");
        assertEquals(2, keys.size());
        assertEquals(
                PublishKeys.estimate("long", TARGETS) + PublishKeys.estimate("short", TARGETS),
                keys.bytes(),
                "the expired entry's bytes were given back when it was replaced");
    }

    @Test
    void aNewKeyPastTheBudgetIsRefusedAndNothingIsForgotten() {
        PublishKeys keys = new PublishKeys();
        long one = PublishKeys.estimate("k1", TARGETS);
        assertEquals(PublishKeys.ENTRY_BYTES + 2 + PublishKeys.TARGET_BYTES + 1, one);
        assertNull(keys.claim("k1", TARGETS, 0, WINDOW, 2 * one));
        keys.stored("k1", ANSWER);
        assertNull(keys.claim("k2", TARGETS, 0, WINDOW, 2 * one));
        PublishKeys.Full full =
                assertThrows(PublishKeys.Full.class, () -> keys.claim("k3", TARGETS, 0, WINDOW, 2 * one));
        assertTrue(full.getMessage().contains("IDEMPOTENCY_BYTES=" + 2 * one), full.getMessage());
        assertSame(ANSWER, keys.claim("k1", TARGETS, 1, WINDOW, 2 * one).result(), "a remembered key still answers");
        keys.stored("k2", ANSWER);
        assertNull(keys.claim("k3", TARGETS, WINDOW, WINDOW, 2 * one), "once k1 and k2 expired there is room");
    }
}
