package org.realplexor.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds {@link Settings} from all sources, lowest precedence first: built-in defaults, the
 * config file, the environment ({@code REALPLEXOR_<KNOB>}), the command line.
 *
 * <p>The command line and environment are read once; the config file is read on every
 * {@link #load()}, so a SIGHUP reload sees the file as it is now.
 */
public final class SettingsLoader {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SettingsLoader.class);

    private final CommandLineOptions options;
    private final Path configFile;
    private final Path workDir;
    private final Map<String, Object> envKnobs;
    private final Map<String, Object> flagKnobs;

    private SettingsLoader(
            CommandLineOptions options, Path workDir, Map<String, Object> envKnobs, Map<String, Object> flagKnobs) {
        this.options = options;
        this.workDir = workDir;
        this.configFile = options.configFile() == null
                ? null
                : workDir.resolve(options.configFile()).normalize();
        this.envKnobs = envKnobs;
        this.flagKnobs = flagKnobs;
    }

    /**
     * @param env the process environment ({@code System.getenv()}); only REALPLEXOR_* is used
     * @throws ConfigException when the arguments are malformed
     */
    public static SettingsLoader fromArgs(String[] args, Map<String, String> env) throws ConfigException {
        CommandLineOptions options = CommandLineOptions.parse(args);
        Path workDir = Path.of("").toAbsolutePath();
        if (options.exitText() != null) return new SettingsLoader(options, workDir, Map.of(), Map.of());
        return new SettingsLoader(
                options,
                workDir,
                filesFromWorkDir(upperCased(EnvKnobs.from(env)), workDir, "environment"),
                filesFromWorkDir(options.knobs(), workDir, "command line"));
    }

    /** True when the command line asked for help or the version: print {@link #exitText()} and exit 0. */
    public boolean exitRequested() {
        return options.exitText() != null;
    }

    public String exitText() {
        return options.exitText();
    }

    /** The command line as parsed (for --check-config and --print-config). */
    public CommandLineOptions options() {
        return options;
    }

    /** The config file, absolute, or null when none was given. */
    public Path configFile() {
        return configFile;
    }

    /** Reads the config file (again) and merges every source into settings. */
    public Settings load() throws ConfigException {
        Sources sources = read(null);
        sources.logNotes();
        return sources.settings();
    }

    /** Where a knob's value came from, as {@link Sources#origin} says it when no source set it. */
    public static final String DEFAULT = "default";

    /**
     * Every source as it stands, merged, with where each knob came from.
     *
     * @param knobs   upper-cased knob names to values, lowest precedence already overridden
     * @param origins knob to where its value came from: "FILE:LINE", "the environment:
     *                REALPLEXOR_X", "the command line"; knobs left at their defaults are absent
     * @param notes   what to say about knobs this server does not use, from every source
     */
    public record Sources(
            Map<String, Object> knobs,
            Map<String, String> origins,
            Path baseDir,
            java.util.List<UnusedKnobs.Note> notes) {
        /** Where {@code knob}'s value came from: an origin, or {@link #DEFAULT}. */
        public String origin(String knob) {
            return origins.getOrDefault(knob, DEFAULT);
        }

        /** The settings these sources give; a bad value is named with where it came from. */
        public Settings settings() throws ConfigException {
            try {
                return Settings.from(knobs, baseDir);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid setting: " + e.getMessage() + from(e.getMessage()), e);
            }
        }

        /** " (from ORIGIN)" for the knob an error message starts with, or "" for a default. */
        String from(String message) {
            int colon = message.indexOf(':');
            String knob = colon < 0 ? "" : message.substring(0, colon).toUpperCase(Locale.ROOT);
            String origin = origins.get(knob);
            return origin == null ? "" : " (from " + origin + ")";
        }

        /**
         * A knob this server does not use is kept (a template may name it), but a misspelt one
         * would otherwise be ignored without a word; the original's own knobs get a line saying
         * why they are not used.
         */
        public void logNotes() {
            for (UnusedKnobs.Note note : notes) {
                if (note.warning()) log.warn("{}", note.text());
                else log.info("{}", note.text());
            }
        }
    }

    /**
     * Reads every source (the config file again) without logging.
     *
     * @param errors null: the first error in the config file throws; otherwise bad lines of our
     *               format are collected there and skipped (--check-config)
     */
    public Sources read(java.util.List<ConfigException> errors) throws ConfigException {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        java.util.List<UnusedKnobs.Note> notes = new java.util.ArrayList<>();
        Path baseDir = workDir;
        if (configFile != null) {
            Map<String, Integer> lines = new LinkedHashMap<>();
            Map<String, Object> fromFile;
            try {
                fromFile = upperCased(ConfigFileReader.read(configFile, lines, errors));
            } catch (ConfigException e) {
                if (errors == null) throw e;
                // Checking: say so and go on with the other sources.
                errors.add(e);
                fromFile = Map.of();
                lines.clear();
            }
            lines.forEach((k, line) -> origins.put(k.toUpperCase(Locale.ROOT), configFile + ":" + line));
            // Each note names the line, so a misspelt knob is found at once.
            fromFile.forEach((k, v) -> noteUnusedKnobs(
                    origins.getOrDefault(k, configFile.toString()), java.util.Collections.singletonMap(k, v), notes));
            merged.putAll(fromFile);
            baseDir = configFile.getParent();
        }
        noteUnusedKnobs("the environment", envKnobs, notes);
        noteUnusedKnobs("the command line", flagKnobs, notes);
        merged.putAll(envKnobs);
        envKnobs.keySet().forEach(k -> origins.put(k, "the environment: " + EnvKnobs.PREFIX + k));
        merged.putAll(flagKnobs);
        flagKnobs.keySet().forEach(k -> origins.put(k, "the command line"));
        // Perl's undef sets nothing: the knob keeps its default, and says so.
        merged.forEach((k, v) -> {
            if (v == null) origins.remove(k);
        });
        return new Sources(merged, origins, baseDir, notes);
    }

    private static void noteUnusedKnobs(
            String source, Map<String, Object> knobs, java.util.List<UnusedKnobs.Note> out) {
        for (Map.Entry<String, Object> e : knobs.entrySet()) {
            UnusedKnobs.Note note = UnusedKnobs.note(source, e.getKey(), e.getValue());
            if (note != null) out.add(note);
        }
    }

    /**
     * Knob names are case-insensitive (Settings upper-cases them); merging under one spelling
     * keeps a later source from losing to an earlier one that spelled the name differently.
     */
    private static Map<String, Object> upperCased(Map<String, Object> knobs) {
        Map<String, Object> out = new LinkedHashMap<>();
        knobs.forEach((k, v) -> out.put(k.toUpperCase(Locale.ROOT), v));
        return out;
    }

    /** Knobs that name a file: the *_FILE ones, and ADMIN_USERS. */
    static boolean isFileKnob(String knob) {
        return knob.endsWith("_FILE") || knob.equals("ADMIN_USERS");
    }

    /**
     * A file named on the command line or in the environment is relative to the working
     * directory, as a shell user expects, not to the config file's folder.
     */
    private static Map<String, Object> filesFromWorkDir(Map<String, Object> knobs, Path workDir, String source)
            throws ConfigException {
        Map<String, Object> out = new LinkedHashMap<>(knobs);
        for (Map.Entry<String, Object> e : out.entrySet()) {
            if (!isFileKnob(e.getKey()) || !(e.getValue() instanceof String s) || s.isBlank()) continue;
            try {
                e.setValue(workDir.resolve(s.strip()).normalize().toString());
            } catch (InvalidPathException x) {
                throw new ConfigException(source + ": " + e.getKey() + ": bad path '" + s + "'", x);
            }
        }
        return out;
    }
}
