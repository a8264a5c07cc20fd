package org.realplexor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.realplexor.auth.SignedIds.Reason;

class SignedIdsTest {
    private static final String SECRET = "a-secret-of-sixteen+";
    private static final SignedIds SIGNED = SignedIds.of(List.of("user_", " private_ "), SECRET);
    private static final SubscribeToken KEY = new SubscribeToken(SECRET);
    private static final long NOW = 1_800_000_000L;

    private static String valid(String... ids) {
        return KEY.make(List.of(ids), NOW + 60);
    }

    private static String expired(String... ids) {
        return KEY.make(List.of(ids), NOW - 1);
    }

    static Stream<Arguments> table() {
        String forged = new SubscribeToken(SECRET + "!").make(List.of("user_1"), NOW + 60);
        return Stream.of(
                // name, ids asked, tokens given, refused, reason
                Arguments.of("no signed id, no token", List.of("news", "room_1"), List.of(), List.of(), null),
                Arguments.of("unsigned ids ignore a bad token", List.of("news"), List.of("junk"), List.of(), null),
                Arguments.of("granted", List.of("user_1", "news"), List.of(valid("user_1")), List.of(), null),
                Arguments.of(
                        "granted by one of two tokens",
                        List.of("user_1", "private_x"),
                        List.of(valid("user_1"), valid("private_x")),
                        List.of(),
                        null),
                Arguments.of("missing token", List.of("user_1", "news"), List.of(), List.of("user_1"), Reason.MISSING),
                Arguments.of(
                        "the token names other ids",
                        List.of("user_1", "user_2"),
                        List.of(valid("user_1")),
                        List.of("user_2"),
                        Reason.MISSING),
                Arguments.of(
                        "a grant is exact, not a prefix",
                        List.of("user_10"),
                        List.of(valid("user_1")),
                        List.of("user_10"),
                        Reason.MISSING),
                Arguments.of(
                        "expired",
                        List.of("user_1", "news"),
                        List.of(expired("user_1")),
                        List.of("user_1"),
                        Reason.EXPIRED),
                Arguments.of("forged", List.of("user_1"), List.of(forged), List.of("user_1"), Reason.INVALID),
                Arguments.of(
                        "malformed", List.of("user_1"), List.of("1.user_1.xyz"), List.of("user_1"), Reason.INVALID),
                Arguments.of(
                        "expired wins over invalid",
                        List.of("user_1", "user_2"),
                        List.of("junk", expired("user_2")),
                        List.of("user_1", "user_2"),
                        Reason.EXPIRED),
                Arguments.of(
                        "an expired token for another id is no reason",
                        List.of("user_1"),
                        List.of(expired("user_2")),
                        List.of("user_1"),
                        Reason.MISSING),
                Arguments.of(
                        "a valid token covers what an expired one does not",
                        List.of("user_1", "user_2"),
                        List.of(expired("user_1", "user_2"), valid("user_1")),
                        List.of("user_2"),
                        Reason.EXPIRED),
                Arguments.of(
                        "refused in the request's order",
                        List.of("private_b", "news", "user_a"),
                        List.of(),
                        List.of("private_b", "user_a"),
                        Reason.MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void judge(String name, List<String> ids, List<String> tokens, List<String> refused, Reason reason) {
        SignedIds.Verdict v = SIGNED.judge(ids, tokens, NOW);
        assertEquals(refused, v.refused(), name);
        assertEquals(reason, v.reason(), name);
        assertEquals(!refused.isEmpty(), v.refusesAny(), name);
    }

    @Test
    void offRefusesNothing() {
        SignedIds off = SignedIds.of(List.of(), "");
        assertSame(SignedIds.OFF, off);
        assertTrue(off.off());
        assertSame(SignedIds.OFF, SignedIds.of(List.of(" ", ""), SECRET));
        assertFalse(off.judge(List.of("user_1"), List.of(), NOW).refusesAny());
    }

    @Test
    void prefixesNeedALongEnoughSecret() {
        IllegalArgumentException none =
                assertThrows(IllegalArgumentException.class, () -> SignedIds.of(List.of("user_"), ""));
        assertTrue(none.getMessage().startsWith("SIGNED_PREFIXES needs SUBSCRIBE_SECRET"), none.getMessage());
        IllegalArgumentException shortOne =
                assertThrows(IllegalArgumentException.class, () -> SignedIds.of(List.of("user_"), "fifteen-chars!!"));
        assertTrue(shortOne.getMessage().startsWith("SUBSCRIBE_SECRET: at least 16"), shortOne.getMessage());
    }
}
