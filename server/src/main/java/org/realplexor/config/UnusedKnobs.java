package org.realplexor.config;

import java.util.Map;
import java.util.Set;

/**
 * Names a source may give that are not settings of this server, and what to say of each: the
 * original's knobs this server does without (with the reason, so that a migrated config reads
 * as understood), and everything else (likely a misspelling).
 */
public final class UnusedKnobs {
    /** The original's knobs that this server does not use, with the reason and what to use instead. */
    private static final Map<String, String> ORIGINAL = Map.of(
            "SU_USER",
                    "the server keeps the user it was started as; start it as that user instead"
                            + " (for example systemd's User=)",
            "ID_BINDINGS_SERVERS",
                    "the original's memcached online notification is not built;"
                            + " ask the IN line (ONLINE, WATCH) instead",
            "ID_BINDINGS_SERVER_NAME",
                    "the original's memcached online notification is not built;"
                            + " ask the IN line (ONLINE, WATCH) instead",
            "HOOK_CHECK_VISIBILITY",
                    "this server runs no Perl hooks; limit who sees a message with" + " *ID limiters when publishing",
            "MAX_MEM_MB",
                    "the heap is capped by the JVM (REALPLEXOR_JAVA_OPTS, -Xmx), and a server whose"
                            + " heap runs out exits for its supervisor to restart");

    /** Launcher variables that share the REALPLEXOR_ prefix in the environment. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("JAVA_OPTS", "JAR");

    private UnusedKnobs() {}

    /** A line to log: a warning, or information when nothing the operator meant is lost. */
    public record Note(boolean warning, String text) {}

    /**
     * What to log for {@code name} given by {@code source} (a file, "the environment", "the
     * command line"), or null when it is a setting of this server. A template may still use
     * any name ({@code $NAME}), so the value is kept either way. The original's knobs left at
     * its defaults (nothing, 0, undef) change nothing here: information; SU_USER always meant
     * something.
     */
    static Note note(String source, String name, Object value) {
        if (Knobs.known(name)) return null;
        if (source.equals("the environment") && LAUNCHER_VARIABLES.contains(name)) return null;
        String shown = source.equals("the environment") ? EnvKnobs.PREFIX + name : name;
        String reason = ORIGINAL.get(name);
        if (reason == null) {
            return new Note(
                    true,
                    source + ": " + shown
                            + " is not a setting of this server (misspelt?); it is kept only for templates");
        }
        return new Note(
                name.equals("SU_USER") || !inert(value),
                source + ": " + shown + " (the original's) is not used by this server: " + reason);
    }

    private static boolean inert(Object value) {
        if (value == null) return true;
        String t = value.toString().strip();
        return t.isEmpty() || t.equals("0") || t.equals("[]");
    }
}
