package org.realplexor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a config file in whichever of the two formats it is written: the original's Perl
 * ({@link PerlConfReader}) when a line holds a Perl statement ({@link #isPerl}), otherwise ours
 * ({@link NativeConfReader}). Operators migrating keep their old file.
 */
public final class ConfigFileReader {

    private ConfigFileReader() {}

    public static Map<String, Object> read(Path file) throws ConfigException {
        return read(file, new java.util.LinkedHashMap<>(), null);
    }

    /**
     * As {@link #read(Path)}, noting each knob's line in {@code lines}. With {@code errors}
     * non-null, our format's bad lines are collected there and skipped (a Perl file still
     * stops at its first error: what follows a syntax error cannot be read reliably).
     */
    public static Map<String, Object> read(
            Path file, Map<String, Integer> lines, java.util.List<ConfigException> errors) throws ConfigException {
        String text = readText(file);
        return isPerl(text)
                ? PerlConfReader.parse(text, file.toString(), lines)
                : NativeConfReader.parse(text, file.toString(), lines, errors);
    }

    /**
     * Whether a statement (not a comment) is Perl: a {@code $CONFIG{...}} or {@code %CONFIG}
     * assignment, {@code return 1;}, {@code 1;} or {@code use ...;}. An overlay that overrides
     * nothing holds only the last two, and a native file may mention {@code %CONFIG} in a comment.
     */
    public static boolean isPerl(String text) {
        return PERL_STATEMENT.matcher(text).find();
    }

    private static final java.util.regex.Pattern PERL_STATEMENT = java.util.regex.Pattern.compile(
            "(?m)^[ \\t]*(\\$CONFIG\\s*\\{|%CONFIG\\b|return\\s+1\\s*;|1\\s*;|use\\s+[A-Za-z])");

    /** The file as UTF-8 text (bad bytes replaced, a leading BOM dropped). */
    static String readText(Path file) throws ConfigException {
        try {
            return withoutBom(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file, e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e, e);
        }
    }

    static String withoutBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
