package org.realplexor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a config file in whichever of the two formats it is written: the original's Perl
 * ({@link PerlConfReader}) when the text mentions <code>$CONFIG{</code> or <code>%CONFIG</code>,
 * otherwise ours ({@link NativeConfReader}). Operators migrating keep their old file.
 */
public final class ConfigFileReader {

    private ConfigFileReader() {
    }

    public static Map<String, Object> read(Path file) throws ConfigException {
        String text = readText(file);
        return isPerl(text) ? PerlConfReader.parse(text, file.toString()) : NativeConfReader.parse(text, file.toString());
    }

    public static boolean isPerl(String text) {
        return text.contains("$CONFIG{") || text.contains("%CONFIG");
    }

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
