package org.realplexor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthResultTest {

    private static final AuthResult GUEST = AuthResult.guest();
    private static final AuthResult ALICE = AuthResult.user("alice");
    private static final AuthResult DENIED = AuthResult.denied("unknown login: zed");

    static Stream<Arguments> reach() {
        return Stream.of(
                Arguments.of(GUEST, "abc", true),
                Arguments.of(GUEST, "alice_news", true),
                Arguments.of(GUEST, "", true),
                Arguments.of(GUEST, null, false),
                Arguments.of(ALICE, "alice_news", true),
                Arguments.of(ALICE, "alice_", true),
                Arguments.of(ALICE, "alice__x", true),
                Arguments.of(ALICE, "alice", false),
                Arguments.of(ALICE, "alicex_news", false),
                Arguments.of(ALICE, "Alice_news", false),
                Arguments.of(ALICE, "bob_alice_news", false),
                Arguments.of(ALICE, "abc", false),
                Arguments.of(ALICE, "", false),
                Arguments.of(ALICE, null, false),
                Arguments.of(DENIED, "abc", false),
                Arguments.of(DENIED, "", false),
                Arguments.of(DENIED, "zed_x", false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("reach")
    void mayReach(AuthResult who, String id, boolean expected) {
        assertEquals(expected, who.mayReach(id));
    }

    @Test
    void guest() {
        assertTrue(GUEST.granted());
        assertTrue(GUEST.isGuest());
        assertNull(GUEST.login());
        assertNull(GUEST.denial());
        assertEquals("", GUEST.scopePrefix());
        assertEquals("guest", GUEST.toString());
    }

    @Test
    void user() {
        assertTrue(ALICE.granted());
        assertFalse(ALICE.isGuest());
        assertEquals("alice", ALICE.login());
        assertNull(ALICE.denial());
        assertEquals("alice_", ALICE.scopePrefix());
        assertEquals("user(alice)", ALICE.toString());
        assertEquals(AuthResult.user("alice"), ALICE);
        assertEquals(AuthResult.user("alice").hashCode(), ALICE.hashCode());
        assertNotEquals(AuthResult.user("bob"), ALICE);
        assertNotEquals(GUEST, ALICE);
        assertThrows(NullPointerException.class, () -> AuthResult.user(null));
    }

    @Test
    void denied() {
        assertFalse(DENIED.granted());
        assertFalse(DENIED.isGuest());
        assertNull(DENIED.login());
        assertEquals("unknown login: zed", DENIED.denial());
        assertThrows(IllegalStateException.class, DENIED::scopePrefix);
        assertEquals("denied(unknown login: zed)", DENIED.toString());
        assertEquals(AuthResult.denied("unknown login: zed"), DENIED);
        assertNotEquals(AuthResult.denied("unknown login: zee"), DENIED);
        assertThrows(NullPointerException.class, () -> AuthResult.denied(null));
    }
}
