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

    private SettingsLoader(CommandLineOptions options, Path workDir, Map<String, Object> envKnobs,
                           Map<String, Object> flagKnobs) {
        this.options = options;
        this.workDir = workDir;
        this.configFile = options.configFile() == null ? null : workDir.resolve(options.configFile()).normalize();
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
        return new SettingsLoader(options, workDir,
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

    /** The config file, absolute, or null when none was given. */
    public Path configFile() {
        return configFile;
    }

    /** Reads the config file (again) and merges every source into settings. */
    public Settings load() throws ConfigException {
        Map<String, Object> merged = new LinkedHashMap<>();
        Path baseDir = workDir;
        Map<String, Object> fromFile = Map.of();
        if (configFile != null) {
            fromFile = upperCased(ConfigFileReader.read(configFile));
            warnAboutUnusedKnobs(configFile.toString(), fromFile);
            merged.putAll(fromFile);
            baseDir = configFile.getParent();
        }
        warnAboutUnusedKnobs("the environment", envKnobs);
        warnAboutUnusedKnobs("the command line", flagKnobs);
        merged.putAll(envKnobs);
        merged.putAll(flagKnobs);
        try {
            return Settings.from(merged, baseDir);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid setting: " + e.getMessage() + source(e.getMessage(), fromFile), e);
        }
    }

    /** Where the bad value of the knob an error message starts with came from, as " (from ...)". */
    private String source(String message, Map<String, Object> fromFile) {
        int colon = message.indexOf(':');
        String knob = colon < 0 ? "" : message.substring(0, colon).toUpperCase(Locale.ROOT);
        if (flagKnobs.containsKey(knob)) return " (from the command line)";
        if (envKnobs.containsKey(knob)) return " (from the environment: REALPLEXOR_" + knob + ")";
        if (fromFile.containsKey(knob)) return " (from " + configFile + ")";
        return "";
    }

    /**
     * A knob this server does not use is kept (a template may name it), but a misspelt one would
     * otherwise be ignored without a word; the original's own knobs get a line saying why they
     * are not used.
     */
    private static void warnAboutUnusedKnobs(String source, Map<String, Object> knobs) {
        for (Map.Entry<String, Object> e : knobs.entrySet()) {
            UnusedKnobs.Note note = UnusedKnobs.note(source, e.getKey(), e.getValue());
            if (note == null) continue;
            if (note.warning()) log.warn("{}", note.text());
            else log.info("{}", note.text());
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

    /**
     * A file named on the command line or in the environment is relative to the working
     * directory, as a shell user expects, not to the config file's folder.
     */
    private static Map<String, Object> filesFromWorkDir(Map<String, Object> knobs, Path workDir, String source)
            throws ConfigException {
        Map<String, Object> out = new LinkedHashMap<>(knobs);
        for (Map.Entry<String, Object> e : out.entrySet()) {
            if (!e.getKey().endsWith("_FILE") || !(e.getValue() instanceof String s) || s.isBlank()) continue;
            try {
                e.setValue(workDir.resolve(s.strip()).normalize().toString());
            } catch (InvalidPathException x) {
                throw new ConfigException(source + ": " + e.getKey() + ": bad path '" + s + "'", x);
            }
        }
        return out;
    }
}
