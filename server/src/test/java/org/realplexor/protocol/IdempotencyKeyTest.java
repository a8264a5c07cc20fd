package org.realplexor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdempotencyKeyTest {
    private static final String H = "the X-Realplexor-Idempotency-Key header ";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "NULL|NULL",
                "k|NULL",
                "6f1c2a9e-3b7d-4c55-8e21-0a9b8c7d6e5f|NULL",
                "!~:/@=+%|NULL",
                "''|is empty (a key is 1 to 128 characters)",
                "a b|has a character outside printable ASCII without space (0x21-0x7E) at index 1 (0x20)",
                "ab\u007f|has a character outside printable ASCII without space (0x21-0x7E) at index 2 (0x7f)",
                "\u00e9|has a character outside printable ASCII without space (0x21-0x7E) at index 0 (0xe9)",
            })
    void problems(String value, String problem) {
        assertEquals(problem == null ? null : H + problem, IdempotencyKey.problem(value));
    }

    @Test
    void lengthLimit() {
        assertNull(IdempotencyKey.problem("x".repeat(IdempotencyKey.MAX_LENGTH)));
        assertEquals(H + "is 129 characters long, over the limit of 128", IdempotencyKey.problem("x".repeat(129)));
    }

    @Test
    void scopesNeverMeet() {
        assertEquals(":k", IdempotencyKey.scoped(null, "k"));
        assertEquals("alice:k", IdempotencyKey.scoped("alice", "k"));
        assertNotEquals(IdempotencyKey.scoped("alice", "k"), IdempotencyKey.scoped("bob", "k"));
        assertNotEquals(IdempotencyKey.scoped(null, "alice:k"), IdempotencyKey.scoped("alice", "k"));
    }
}
