package org.realplexor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.realplexor.auth.SubscribeToken.Status;

class SubscribeTokenTest {
    private static final String SECRET = "0123456789abcdef-secret";
    private static final SubscribeToken KEY = new SubscribeToken(SECRET);
    private static final long NOW = 1_800_000_000L;
    /** Made by the class itself; the fixed text below pins the format (other SDKs must match it). */
    private static final String GOOD = KEY.make(List.of("user_42", "room_7"), NOW + 60);

    /** Replaces the character at i (from the end when negative) with another allowed one. */
    private static String flip(String s, int i) {
        int at = i < 0 ? s.length() + i : i;
        char c = s.charAt(at);
        return s.substring(0, at) + (c == 'A' ? 'B' : 'A') + s.substring(at + 1);
    }

    static Stream<Arguments> table() {
        String mac = GOOD.substring(GOOD.lastIndexOf('.'));
        return Stream.of(
                Arguments.of("valid", GOOD, Status.VALID, List.of("user_42", "room_7")),
                Arguments.of("valid in its last second", KEY.make(List.of("a"), NOW + 1), Status.VALID, List.of("a")),
                Arguments.of("expired", KEY.make(List.of("user_42"), NOW), Status.EXPIRED, List.of("user_42")),
                Arguments.of("expired long ago", KEY.make(List.of("user_42"), 0), Status.EXPIRED, List.of("user_42")),
                Arguments.of(
                        "tampered expiry",
                        (NOW + 999) + GOOD.substring(GOOD.indexOf('.')),
                        Status.BAD_SIGNATURE,
                        List.of()),
                Arguments.of("tampered ids", GOOD.replace("user_42", "user_43"), Status.BAD_SIGNATURE, List.of()),
                Arguments.of("an id added", GOOD.replace("room_7", "room_7-admin"), Status.BAD_SIGNATURE, List.of()),
                Arguments.of("ids of another token", (NOW + 60) + ".user_1" + mac, Status.BAD_SIGNATURE, List.of()),
                Arguments.of(
                        "tampered mac, first char",
                        flip(GOOD, GOOD.lastIndexOf('.') + 1),
                        Status.BAD_SIGNATURE,
                        List.of()),
                Arguments.of(
                        "tampered mac, last char",
                        GOOD.substring(0, GOOD.length() - 1) + (GOOD.endsWith("A") ? "Q" : "A"),
                        Status.BAD_SIGNATURE,
                        List.of()),
                Arguments.of(
                        "wrong secret",
                        new SubscribeToken(SECRET + "x").make(List.of("user_42"), NOW + 60),
                        Status.BAD_SIGNATURE,
                        List.of()),
                Arguments.of("missing (null)", null, Status.MALFORMED, List.of()),
                Arguments.of("missing (empty)", "", Status.MALFORMED, List.of()),
                Arguments.of("no dots", "abc", Status.MALFORMED, List.of()),
                Arguments.of("one dot", (NOW + 60) + mac, Status.MALFORMED, List.of()),
                Arguments.of("no ids", (NOW + 60) + "." + mac, Status.MALFORMED, List.of()),
                Arguments.of("an empty id", (NOW + 60) + ".a--b" + mac, Status.MALFORMED, List.of()),
                Arguments.of("a non-word id", (NOW + 60) + ".a+b" + mac, Status.MALFORMED, List.of()),
                Arguments.of("negative expiry", "-1.a" + mac, Status.MALFORMED, List.of()),
                Arguments.of("expiry not a number", "soon.a" + mac, Status.MALFORMED, List.of()),
                Arguments.of("expiry too long", "1234567890123.a" + mac, Status.MALFORMED, List.of()),
                Arguments.of("mac short", GOOD.substring(0, GOOD.length() - 1), Status.MALFORMED, List.of()),
                Arguments.of("mac long", GOOD + "A", Status.MALFORMED, List.of()),
                Arguments.of("mac padded", GOOD + "=", Status.MALFORMED, List.of()),
                Arguments.of(
                        "mac in plain base64",
                        GOOD.substring(0, GOOD.lastIndexOf('.') + 1) + "+" + mac.substring(2),
                        Status.MALFORMED,
                        List.of()),
                Arguments.of("mac not canonical", nonCanonical(GOOD), Status.MALFORMED, List.of()));
    }

    /** The same MAC bytes spelled with a non-zero unused low bit in the last character. */
    private static String nonCanonical(String token) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int v = alphabet.indexOf(token.charAt(token.length() - 1));
        return token.substring(0, token.length() - 1) + alphabet.charAt(v ^ 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void check(String name, String token, Status status, List<String> ids) {
        SubscribeToken.Check c = KEY.check(token, NOW);
        assertEquals(status, c.status(), name + ": " + token);
        assertEquals(ids, c.ids(), name);
    }

    @Test
    void theFormatIsPinned() {
        // A fixed vector: the SDKs' tests check the same one (sdk-java, sdk-php, sdk-js's parser).
        String t = new SubscribeToken("0123456789abcdef").make(List.of("user_42", "room_7"), 1800000000L);
        assertEquals("1800000000.user_42-room_7.", t.substring(0, t.lastIndexOf('.') + 1));
        assertEquals(43, t.length() - t.lastIndexOf('.') - 1);
        assertEquals(t, new SubscribeToken("0123456789abcdef").make(List.of("user_42", "room_7"), 1800000000L));
        assertTrue(t.matches("[A-Za-z0-9_.-]+"), "URL-safe without escaping: " + t);
        // Computed apart from this code (Python: hmac.new(key, payload, sha256), urlsafe_b64encode).
        assertEquals("1800000000.user_42-room_7.PLjitLMF9AstIkeqIuSlMLTNPfhP6Ahkpu9jTENKinQ", t);
    }

    @Test
    void parseReadsTheFieldsWithoutTheKey() {
        SubscribeToken.Parsed p = SubscribeToken.parse(GOOD);
        assertEquals(NOW + 60, p.expiry());
        assertEquals(List.of("user_42", "room_7"), p.ids());
        assertNull(SubscribeToken.parse("x.y"));
    }

    @Test
    void makeRefusesWhatCouldNotBeChecked() {
        assertThrows(IllegalArgumentException.class, () -> KEY.make(List.of(), NOW));
        assertThrows(IllegalArgumentException.class, () -> KEY.make(List.of("a-b"), NOW));
        assertThrows(IllegalArgumentException.class, () -> KEY.make(List.of(""), NOW));
        assertThrows(IllegalArgumentException.class, () -> KEY.make(List.of("a"), -1));
        assertThrows(IllegalArgumentException.class, () -> new SubscribeToken(""));
    }
}
