package org.realplexor.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads our own config format: one {@code KEY = value} per line, blank lines and lines
 * starting with {@code #} ignored. Values are kept as text, spaces around them trimmed; list
 * knobs are comma-separated and split later by {@link Settings}. A {@code #} after a value is
 * part of the value (a URI may hold one), as in Java properties files.
 */
public final class NativeConfReader {

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private NativeConfReader() {}

    public static Map<String, Object> read(Path file) throws ConfigException {
        return parse(ConfigFileReader.readText(file), file.toString());
    }

    /** @param sourceName the name used in error messages */
    public static Map<String, Object> parse(String text, String sourceName) throws ConfigException {
        return parse(text, sourceName, new LinkedHashMap<>(), null);
    }

    /**
     * As {@link #parse(String, String)}, also noting each knob's line in {@code knobLines}. With
     * {@code errors} non-null a bad line is added there and skipped, so that --check-config
     * reports every one; with null the first throws.
     */
    public static Map<String, Object> parse(
            String text, String sourceName, Map<String, Integer> knobLines, java.util.List<ConfigException> errors)
            throws ConfigException {
        Map<String, Object> knobs = new LinkedHashMap<>();
        String[] lines = ConfigFileReader.withoutBom(text).split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String key = eq < 0 ? null : line.substring(0, eq).strip();
            ConfigException bad = null;
            if (eq < 0) {
                bad = new ConfigException(sourceName + ":" + (i + 1) + ": expected KEY = value, found '" + line + "'");
            } else if (!KEY.matcher(key).matches()) {
                bad = new ConfigException(
                        sourceName + ":" + (i + 1) + ": bad knob name '" + key + "' (letters, digits and _ only)");
            }
            if (bad != null) {
                if (errors == null) throw bad;
                errors.add(bad);
                continue;
            }
            knobs.put(key, line.substring(eq + 1).strip());
            knobLines.put(key, i + 1);
        }
        return knobs;
    }
}
