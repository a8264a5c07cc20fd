package org.realplexor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code --print-config}: every effective knob, its value and where it came from, in our own
 * config format ({@code KNOB = value  # origin}) so the output can be kept as a config file.
 * Secrets are masked: knobs whose name holds SECRET or PASSWORD, and the password of any URL
 * (REDIS_URL's {@code redis://:password@host}).
 */
public final class ConfigPrint {
    static final String MASK = "****";
    private static final Pattern URL_PASSWORD = Pattern.compile("(\\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s]*:)[^@\\s]*@");

    private ConfigPrint() {}

    public static String render(SettingsLoader.Sources sources) {
        Map<String, Object> defaults = Settings.defaultKnobs();
        List<String> names = new ArrayList<>(defaults.keySet());
        // Knobs this server does not use are shown too (templates may name them), after ours.
        TreeSet<String> extra = new TreeSet<>();
        sources.knobs().forEach((k, v) -> {
            if (v != null && !defaults.containsKey(k)) extra.add(k);
        });
        names.addAll(extra);
        List<String[]> rows = new ArrayList<>();
        int width = 0;
        for (String name : names) {
            Object v = sources.knobs().get(name);
            if (v == null) v = defaults.get(name);
            String left = name + " = " + masked(name, text(v));
            width = Math.max(width, left.length());
            rows.add(new String[] {left, sources.origin(name)});
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  # %s", r[0], r[1]))
                    .append('\n');
        }
        return sb.toString();
    }

    /** The value as it may be shown (printed, logged): secrets masked. */
    public static String masked(String name, String value) {
        String upper = name.toUpperCase(Locale.ROOT);
        if ((upper.contains("SECRET") || upper.contains("PASSWORD")) && !value.isEmpty()) return MASK;
        return URL_PASSWORD.matcher(value).replaceAll("$1" + MASK + "@");
    }

    private static String text(Object v) {
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(String.valueOf(o));
            return String.join(", ", parts);
        }
        return String.valueOf(v);
    }
}
