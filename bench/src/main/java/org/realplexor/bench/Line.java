package org.realplexor.bench;

import java.util.Locale;

/** One result line: the scenario name, then space-separated key=value figures. */
final class Line {
    private final StringBuilder sb;

    Line(String scenario) {
        sb = new StringBuilder(scenario);
    }

    Line put(String key, Object value) {
        sb.append(' ').append(key).append('=').append(value);
        return this;
    }

    Line num(String key, double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return put(key, "n/a");
        }
        return put(key, String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    Line kb(String key, double bytes) {
        return Double.isNaN(bytes) ? put(key, "n/a") : put(key, String.format(Locale.ROOT, "%.2fKB", bytes / 1024));
    }

    Line mb(String key, double bytes) {
        return Double.isNaN(bytes)
                ? put(key, "n/a")
                : put(key, String.format(Locale.ROOT, "%.1fMB", bytes / (1024 * 1024)));
    }

    Line ms(String key, long nanos) {
        return nanos < 0 ? put(key, "n/a") : num(key, nanos / 1e6, 1);
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
