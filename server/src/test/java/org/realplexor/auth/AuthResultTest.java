package org.realplexor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthResultTest {

    private static final AuthResult GUEST = AuthResult.guest();
    private static final AuthResult ALICE = AuthResult.user("alice");
    private static final AuthResult DENIED = AuthResult.denied("unknown login: zed");

    @Test
    void guest() {
        assertTrue(GUEST.granted());
        assertNull(GUEST.login());
        assertNull(GUEST.denial());
        assertEquals("guest", GUEST.toString());
    }

    @Test
    void user() {
        assertTrue(ALICE.granted());
        assertEquals("alice", ALICE.login());
        assertNull(ALICE.denial());
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
        assertNull(DENIED.login());
        assertEquals("unknown login: zed", DENIED.denial());
        assertEquals("denied(unknown login: zed)", DENIED.toString());
        assertEquals(AuthResult.denied("unknown login: zed"), DENIED);
        assertNotEquals(AuthResult.denied("unknown login: zee"), DENIED);
        assertThrows(NullPointerException.class, () -> AuthResult.denied(null));
    }
}
