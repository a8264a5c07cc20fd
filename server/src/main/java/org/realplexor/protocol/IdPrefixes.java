package org.realplexor.protocol;

import java.util.ArrayList;
import java.util.List;

/** A login's scope of ids, and the id prefixes of ONLINE and WATCH: which ids they ask about within it. */
public final class IdPrefixes {
    private IdPrefixes() {}

    /**
     * With a login, only prefixes inside its scope ({@code LOGIN_}) count; null means "nothing can
     * match" (a login gave none of its own). Without one, the prefixes as given.
     */
    public static List<String> scope(String login, List<String> prefixes) {
        if (login == null) return prefixes;
        List<String> kept = new ArrayList<>();
        for (String p : prefixes) if (inScope(login, p)) kept.add(p);
        return kept.isEmpty() ? null : kept;
    }

    /**
     * Whether a publisher logged in as {@code login} (null for a guest) may reach {@code id}, or
     * ask with it as a prefix: a guest every id, a login only ids starting with {@code LOGIN_}.
     */
    public static boolean inScope(String login, String id) {
        return login == null || id.startsWith(login + "_");
    }

    /** No prefixes means every id. */
    public static boolean matches(String id, List<String> prefixes) {
        if (prefixes.isEmpty()) return true;
        for (String p : prefixes) if (id.startsWith(p)) return true;
        return false;
    }
}
