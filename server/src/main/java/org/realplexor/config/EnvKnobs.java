package org.realplexor.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Knobs from environment variables: {@code REALPLEXOR_WAIT_ADDR=127.0.0.1:8088} sets
 * WAIT_ADDR. Containers and service managers configure through the environment; values are
 * text as on the command line (lists comma-separated).
 */
public final class EnvKnobs {

    public static final String PREFIX = "REALPLEXOR_";

    private EnvKnobs() {}

    /** The knobs found in {@code env}, by knob name (the variable name without the prefix). */
    public static Map<String, Object> from(Map<String, String> env) {
        // Sorted so that the outcome does not depend on the environment's iteration order.
        Map<String, Object> knobs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && e.getValue() != null) {
                knobs.put(name.substring(PREFIX.length()), e.getValue());
            }
        }
        return knobs;
    }
}
