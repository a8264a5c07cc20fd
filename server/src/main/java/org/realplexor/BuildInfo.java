package org.realplexor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and git commit this server was built from, as the build wrote them into
 * {@code org/realplexor/build.properties}. The start log, {@code --version} and the metrics name
 * the build through this one class so that they always agree. A build without git (from a
 * source tarball) says commit "unknown".
 */
public final class BuildInfo {
    private static final BuildInfo CURRENT = load();

    private final String version;
    private final String commit;

    BuildInfo(String version, String commit) {
        this.version = version;
        this.commit = commit;
    }

    /** The running server's build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}. */
    public String version() {
        return version;
    }

    /** The abbreviated commit id, with {@code -dirty} when the work tree had changes; or "unknown". */
    public String commit() {
        return commit;
    }

    /** {@code realplexor 0.1.0 (commit 0123456789ab)}: the start log's first line and {@code --version}. */
    public String describe() {
        return "realplexor " + version + " (commit " + commit + ")";
    }

    /**
     * The start log's first line: the build, and what the launcher did to the open-files limit
     * (bin/realplexor passes it as the system property {@code realplexor.launcher}; null when
     * the jar was started some other way).
     */
    public String startLine(String launcherNote) {
        String note = launcherNote == null ? "" : launcherNote.strip();
        return describe() + " starting" + (note.isEmpty() ? "" : "; launcher: " + note);
    }

    @Override
    public String toString() {
        return describe();
    }

    static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // an unreadable resource is a broken jar; the build is then simply unknown
        }
        return fromProperties(p);
    }

    /** Pure: a value the build left unfilled (no git, or run from an IDE) counts as unknown. */
    static BuildInfo fromProperties(Properties p) {
        String version = filled(p.getProperty("version"));
        String commit = filled(p.getProperty("commit"));
        if (commit != null && "true".equals(filled(p.getProperty("dirty")))) commit += "-dirty";
        return new BuildInfo(version == null ? "unknown" : version, commit == null ? "unknown" : commit);
    }

    private static String filled(String value) {
        if (value == null) return null;
        String v = value.strip();
        return v.isEmpty() || v.contains("${") ? null : v;
    }
}
