package org.realplexor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvKnobsTest {

    static Stream<Arguments> environments() {
        return Stream.of(
                Arguments.of(Map.of(), Map.of()),
                Arguments.of(Map.of("PATH", "/usr/bin", "HOME", "/root"), Map.of()),
                Arguments.of(Map.of("REALPLEXOR_WAIT_ADDR", "127.0.0.1:8088"), Map.of("WAIT_ADDR", "127.0.0.1:8088")),
                Arguments.of(
                        Map.of("REALPLEXOR_WAIT_ADDR", "a:1,b:2", "REALPLEXOR_OFFLINE_TIMEOUT", "0.5", "TERM", "x"),
                        Map.of("WAIT_ADDR", "a:1,b:2", "OFFLINE_TIMEOUT", "0.5")),
                Arguments.of(Map.of("REALPLEXOR_", "nothing after the prefix"), Map.of()),
                Arguments.of(Map.of("REALPLEXOR_IFRAME_FILE", ""), Map.of("IFRAME_FILE", "")),
                Arguments.of(Map.of("realplexor_wait_addr", "x:1"), Map.of()),
                Arguments.of(Map.of("XREALPLEXOR_WAIT_ADDR", "x:1"), Map.of()),
                Arguments.of(Map.of("REALPLEXOR_CUSTOM", "kept"), Map.of("CUSTOM", "kept")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("environments")
    void mapsPrefixedVariablesToKnobs(Map<String, String> env, Map<String, Object> expected) {
        assertEquals(expected, EnvKnobs.from(env));
    }

    @Test
    void orderDoesNotDependOnTheEnvironmentsOrder() {
        Map<String, String> env = new HashMap<>();
        for (String k : List.of("Z", "A", "M", "B")) env.put("REALPLEXOR_" + k, k);
        assertEquals(List.of("A", "B", "M", "Z"), List.copyOf(EnvKnobs.from(env).keySet()));
    }
}
