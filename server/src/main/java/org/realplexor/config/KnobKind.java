package org.realplexor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a knob's value is read and checked: pure functions from the raw value the loaders give
 * ({@code String}, or {@code List<String>} for Perl array refs and comma lists) to the typed
 * value the server uses. A bad value throws {@link IllegalArgumentException} whose message
 * starts with the knob's name, as the start and {@code --check-config} print it.
 */
public enum KnobKind {
    /** Free text (names, templates' values, file names resolved later against the base dir). */
    TEXT {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            return text(raw);
        }
    },
    /** A comma- or space-separated list. */
    LIST {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            return list(raw);
        }
    },
    /** Listen addresses, {@code host:port} each; none is allowed (the listener is off). */
    ADDRESSES {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            List<String> out = list(raw);
            for (String a : out) HostPort.parse(name, a);
            return out;
        }
    },
    /** Listen addresses, at least one. */
    REQUIRED_ADDRESSES {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            List<String> out = list(raw);
            if (out.isEmpty()) throw new IllegalArgumentException(name + ": at least one address is needed");
            for (String a : out) HostPort.parse(name, a);
            return out;
        }
    },
    /** Seconds, fractional, not negative: milliseconds as a {@code Long}. */
    SECONDS {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            double s = number(name, raw);
            if (s < 0) throw new IllegalArgumentException(name + ": must not be negative, got " + text(raw));
            return Math.round(s * 1000.0);
        }
    },
    /** Seconds, more than 0; empty means the default: milliseconds as a {@code Long}. */
    POSITIVE_SECONDS {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            String t = text(raw).trim();
            double seconds;
            try {
                seconds = Double.parseDouble(t.isEmpty() ? text(dflt).trim() : t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": expected a number of seconds, got '" + t + "'");
            }
            if (!(seconds > 0)) throw new IllegalArgumentException(name + ": must be more than 0, got " + t);
            return Math.round(seconds * 1000);
        }
    },
    /** Any number: a {@code Double}. */
    NUMBER {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            return number(name, raw);
        }
    },
    /** A whole number, 0 or more: an {@code Integer}. */
    COUNT {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            return whole(name, raw, 0);
        }
    },
    /** A whole number, 1 or more: an {@code Integer}. */
    POSITIVE_COUNT {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            return whole(name, raw, 1);
        }
    },
    /** {@code plain} or {@code json}, any case: lower-cased. */
    LOG_FORMAT {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            String f = text(raw).strip().toLowerCase(Locale.ROOT);
            if (!f.equals("plain") && !f.equals("json")) {
                throw new IllegalArgumentException(name + ": expected plain or json, got '" + text(raw) + "'");
            }
            return f;
        }
    },
    /** JOURNAL_FSYNC: {@code always}, {@code everysec} or {@code no}, any case: lower-cased. */
    FSYNC_POLICY {
        @Override
        Object parse(String name, Object raw, Object dflt) {
            String f = text(raw).strip().toLowerCase(Locale.ROOT);
            if (!f.equals("always") && !f.equals("everysec") && !f.equals("no")) {
                throw new IllegalArgumentException(name + ": expected always, everysec or no, got '" + text(raw) + "'");
            }
            return f;
        }
    };

    /**
     * The typed value of {@code raw} for knob {@code name}, whose default is {@code dflt}.
     *
     * @throws IllegalArgumentException "NAME: what is wrong" when the value has the wrong form
     */
    abstract Object parse(String name, Object raw, Object dflt);

    /** The value as text: lists joined by ", ", null as "". */
    static String text(Object v) {
        if (v == null) return "";
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(String.valueOf(o));
            return String.join(", ", parts);
        }
        return v.toString();
    }

    static List<String> list(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l)
                if (o != null && !o.toString().isBlank()) out.add(o.toString().trim());
        } else if (v != null) {
            for (String s : v.toString().split("[,\\s]+")) if (!s.isBlank()) out.add(s.trim());
        }
        return List.copyOf(out);
    }

    private static double number(String name, Object raw) {
        String t = text(raw).trim();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a number, got '" + t + "'");
        }
    }

    private static int whole(String name, Object raw, int min) {
        double d = number(name, raw);
        if (d != Math.floor(d) || d < min || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected a whole number >= " + min + ", got " + text(raw));
        }
        return (int) d;
    }
}
