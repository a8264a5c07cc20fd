package org.realplexor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The knob table (Knobs) against what is written about knobs elsewhere: the README's "Settings"
 * table and --help. A knob added to the table fails here until the README names it with its
 * default; a README row naming a knob the code does not have fails too.
 */
class KnobTableTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String HEADER = "| knob | default | meaning |";

    /** One knob as a README row gives it: name, default as written (normalised), marked ours. */
    record Row(String knob, String dflt, boolean ours, String line) {}

    @Test
    void theReadmeTableListsEveryKnobWithItsDefaultAndNoOther() throws Exception {
        List<Row> rows = readmeRows(Files.readAllLines(README));
        List<String> problems = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Row r : rows) {
            Knobs.Knob k = Knobs.get(r.knob());
            if (k == null) {
                problems.add(r.knob() + " is in the README but is not a knob: " + r.line());
                continue;
            }
            if (!seen.add(r.knob())) problems.add(r.knob() + " is in the README twice");
            String expected = defaultText(k.defaultValue());
            if (!r.dflt().equals(expected)) {
                problems.add(r.knob() + ": the README says '" + r.dflt() + "', the default is '" + expected + "': "
                        + r.line());
            }
            if (r.ours() != k.ours()) {
                problems.add(r.knob()
                        + (k.ours()
                                ? " is ours: mark its row (ours)"
                                : " is the original's: its row must not say (ours)"));
            }
        }
        for (Knobs.Knob k : Knobs.ALL) {
            if (!seen.contains(k.name())) {
                problems.add(k.name() + " is missing from the README's knob table (default '"
                        + defaultText(k.defaultValue()) + "')");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theReadmeNamesTheKnobsAReloadDoesNotApply() throws Exception {
        String text = String.join(" ", Files.readAllLines(README)).replaceAll("\\s+", " ");
        String lead = "On SIGHUP, a change to a knob read only at start (";
        int at = text.indexOf(lead);
        assertTrue(at >= 0, "the README says which knobs need a restart: " + lead);
        String named = text.substring(at + lead.length(), text.indexOf(')', at));
        assertEquals(new java.util.TreeSet<>(Knobs.restartOnly()), new java.util.TreeSet<>(List.of(named.split(", "))));
    }

    @Test
    void readingTheReadmeTableCatchesAWrongDefaultAndAnUnknownKnob() {
        List<Row> rows = readmeRows(List.of(
                HEADER,
                "| --- | --- | --- |",
                "| WAIT_MAXLEN / IN_MAXLEN | 5120 / 204800 | bytes |",
                "| REDIS_URL, REDIS_PREFIX (ours) | `redis://x`, `p:` | cluster |",
                "| IFRAME_FILE / SCRIPT_FILE | empty (the bundled pages) | templates |",
                "",
                "| other | table |"));
        assertEquals(
                List.of(
                        new Row("WAIT_MAXLEN", "5120", false, rows.get(0).line()),
                        new Row("IN_MAXLEN", "204800", false, rows.get(0).line()),
                        new Row("REDIS_URL", "redis://x", true, rows.get(2).line()),
                        new Row("REDIS_PREFIX", "p:", true, rows.get(2).line()),
                        new Row("IFRAME_FILE", "", false, rows.get(4).line()),
                        new Row("SCRIPT_FILE", "", false, rows.get(4).line())),
                rows);
    }

    @Test
    void helpHasALineForEveryKnobWithItsDefaultAndItsHelp() {
        String help = CommandLineOptions.usage();
        // A long help line is wrapped under its first column, never back at column 0.
        String knobs = help.substring(help.indexOf("Knobs (defaults):"));
        for (String line : knobs.split("\\R")) {
            assertTrue(
                    line.isEmpty() || line.startsWith("  ") || line.startsWith("Knobs"),
                    "wrapped at column 0: " + line);
            assertTrue(line.length() <= 100, "longer than 100: " + line);
        }
        String flat = help.replaceAll("\\s+", " ");
        for (Knobs.Knob k : Knobs.ALL) {
            assertFalse(k.help().isBlank(), k.name() + " has no help");
            String line = k.name() + "="
                    + String.join(",", defaultText(k.defaultValue()).split(", ")) + " " + k.help();
            assertTrue(flat.contains(" " + line + " "), "--help lacks: " + line + "\n" + help);
        }
    }

    @Test
    void theDefaultsAreValidAndEveryKnobIsReadBySettings() {
        Settings s = Settings.defaults();
        for (Knobs.Knob k : Knobs.ALL) {
            assertTrue(s.value(k.name()) != null, k.name());
            assertEquals(defaultText(k.defaultValue()), s.knobText(k.name()), k.name());
        }
    }

    /** Every knob is checked when Settings are built, not when the server first reads it. */
    @Test
    void aBadValueOfAnyKindIsRefusedWhenSettingsAreBuilt() {
        Map<String, String> bad = Map.of(
                "IO_THREADS",
                "IO_THREADS: expected a whole number >= 0, got -1",
                "WAIT_MAX_IDS",
                "WAIT_MAX_IDS: expected a number, got 'many'",
                "LOG_FORMAT",
                "LOG_FORMAT: expected plain or json, got 'xml'",
                "REDIS_TIMEOUT",
                "REDIS_TIMEOUT: must be more than 0, got 0",
                "REDIS_NODE_TTL",
                "REDIS_NODE_TTL: expected a number of seconds, got 'soon'",
                "WAIT_TLS_ADDR",
                "WAIT_TLS_ADDR: expected host:port, got 'x'");
        Map<String, String> values = Map.of(
                "IO_THREADS",
                "-1",
                "WAIT_MAX_IDS",
                "many",
                "LOG_FORMAT",
                "xml",
                "REDIS_TIMEOUT",
                "0",
                "REDIS_NODE_TTL",
                "soon",
                "WAIT_TLS_ADDR",
                "x");
        bad.forEach((knob, message) -> {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> Settings.from(Map.of(knob, values.get(knob)), Path.of(".")),
                    knob);
            assertEquals(message, e.getMessage());
        });
        Settings s = Settings.from(
                Map.of("REDIS_TIMEOUT", "", "REDIS_NODE_TTL", "0.5", "LOG_FORMAT", " JSON "), Path.of("."));
        assertEquals(5000, s.redisTimeoutMs(), "empty: the default");
        assertEquals(500, s.redisNodeTtlMs());
        assertEquals("json", s.logFormat());
    }

    /** The rows of the table under {@link #HEADER}, one per knob named. */
    static List<Row> readmeRows(List<String> lines) {
        List<Row> out = new ArrayList<>();
        int i = lines.indexOf(HEADER);
        assertTrue(i >= 0, "no knob table (" + HEADER + ")");
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            String[] cells = line.split("\\|");
            String names = cells[1].strip();
            boolean ours = names.endsWith("(ours)");
            if (ours)
                names = names.substring(0, names.length() - "(ours)".length()).strip();
            String[] knobs = split(names);
            String[] defaults = split(cells[2].strip());
            if (defaults.length == 1 && knobs.length > 1) {
                String only = defaults[0];
                defaults = new String[knobs.length];
                java.util.Arrays.fill(defaults, only);
            }
            assertEquals(knobs.length, defaults.length, "as many defaults as knobs: " + line);
            for (int j = 0; j < knobs.length; j++) out.add(new Row(knobs[j], normalised(defaults[j]), ours, line));
        }
        return out;
    }

    /** "A / B" or "A, B, C" (the README's two ways of grouping). */
    private static String[] split(String cell) {
        String[] parts = cell.contains(" / ") ? cell.split(" / ") : cell.split(", ");
        for (int i = 0; i < parts.length; i++) parts[i] = parts[i].strip();
        return parts;
    }

    /** Without backticks and a trailing "(explanation)"; "empty" is the empty value. */
    private static String normalised(String written) {
        String t = written.replace("`", "").replaceFirst("\\s*\\([^)]*\\)$", "").strip();
        return t.equals("empty") ? "" : t;
    }

    private static String defaultText(Object v) {
        return KnobKind.text(v);
    }
}
