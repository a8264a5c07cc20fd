package org.realplexor.protocol;

import java.util.ArrayList;
import java.util.List;

/** The id prefixes of ONLINE and WATCH: which ids they ask about, within a login's scope. */
public final class IdPrefixes {
    private IdPrefixes() {
    }

    /**
     * With a login, only prefixes inside its scope ({@code LOGIN_}) count; null means "nothing can
     * match" (a login gave none of its own). Without one, the prefixes as given.
     */
    public static List<String> scope(String login, List<String> prefixes) {
        if (login == null) return prefixes;
        List<String> kept = new ArrayList<>();
        for (String p : prefixes) if (p.startsWith(login + "_")) kept.add(p);
        return kept.isEmpty() ? null : kept;
    }

    /** No prefixes means every id. */
    public static boolean matches(String id, List<String> prefixes) {
        if (prefixes.isEmpty()) return true;
        for (String p : prefixes) if (id.startsWith(p)) return true;
        return false;
    }
}
