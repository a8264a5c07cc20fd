package org.realplexor.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.realplexor.config.NativeConfReader;
import org.realplexor.config.Settings;

/**
 * The config a release ships (src/dist/conf/realplexor.conf) lists every knob with its built-in
 * default and a comment, commented out, so that it documents the defaults without pinning them.
 * A knob added to Settings.defaultKnobs() fails here until it is added to that file.
 */
class ShippedConfigTest {
    private static final Path CONF = Path.of("src", "dist", "conf", "realplexor.conf");
    /** A knob line, commented out or not: {@code # KEY = VALUE} or {@code KEY = VALUE}. */
    private static final Pattern KNOB_LINE = Pattern.compile("(#\\s?)?([A-Z][A-Z0-9_]*) =(?: (.*))?");
    /** Knobs the release sets on purpose, with why. */
    private static final Map<String, String> SET_ON_PURPOSE =
            Map.of("USERS_FILE", "realplexor.users"); // the users file shipped beside it: guests only

    @Test
    void listsEveryKnobWithItsDefaultAndAComment() throws Exception {
        List<String> lines = Files.readAllLines(CONF);
        Map<String, String> listed = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KNOB_LINE.matcher(lines.get(i));
            if (!m.matches()) continue;
            String key = m.group(2);
            if (listed.put(key, m.group(3) == null ? "" : m.group(3)) != null) problems.add(key + " is listed twice");
            if (i == 0
                    || !lines.get(i - 1).startsWith("# ")
                    || KNOB_LINE.matcher(lines.get(i - 1)).matches()) {
                problems.add(key + " has no comment line above it");
            }
        }
        Map<String, Object> defaults = Settings.defaultKnobs();
        for (Map.Entry<String, Object> d : defaults.entrySet()) {
            String expected = SET_ON_PURPOSE.getOrDefault(d.getKey(), text(d.getValue()));
            if (!listed.containsKey(d.getKey())) {
                problems.add(d.getKey() + " is missing: add '# " + d.getKey() + " = " + expected
                        + "' with a comment to " + CONF);
            } else if (!listed.get(d.getKey()).equals(expected)) {
                problems.add(d.getKey() + " shows '" + listed.get(d.getKey()) + "', its default is '" + expected + "'");
            }
        }
        for (String key : listed.keySet()) {
            if (!defaults.containsKey(key)) problems.add(key + " is not a knob");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void onlyTheUsersFileIsSet() throws Exception {
        assertEquals(SET_ON_PURPOSE, NativeConfReader.read(CONF));
    }

    @Test
    void theShippedUsersFileAllowsGuestsOnly() throws Exception {
        List<String> entries = Files.readAllLines(CONF.resolveSibling("realplexor.users")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        assertEquals(List.of(":"), entries);
    }

    private static String text(Object value) {
        if (value instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(String.valueOf(o));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }
}
