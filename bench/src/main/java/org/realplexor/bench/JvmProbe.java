package org.realplexor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Live-heap figures of a server JVM through {@code jcmd PID GC.class_histogram}, which runs a full
 * GC first: the live bytes do not depend on heap sizing or on when the last GC ran, unlike RSS.
 */
final class JvmProbe {
    /** Live bytes in total and per class after a full GC. */
    record Histogram(long totalBytes, Map<String, Long> bytesByClass) {
        /** The classes that grew most from {@code before}, as "class +bytes-per-unit" text. */
        String topGrowth(Histogram before, int top, long units) {
            Map<String, Long> delta = new HashMap<>();
            bytesByClass.forEach((k, v) -> delta.put(k, v - before.bytesByClass.getOrDefault(k, 0L)));
            return delta.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .limit(top)
                    .map(e -> String.format(
                            java.util.Locale.ROOT, "%s +%.0fB", e.getKey(), (double) e.getValue() / units))
                    .collect(Collectors.joining(", "));
        }
    }

    private JvmProbe() {}

    /** @return null when jcmd is missing or cannot attach (e.g. the pid is not a JVM) */
    static Histogram histogram(long pid) {
        if (pid <= 0) {
            return null;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                Bench.note("jcmd GC.class_histogram failed: "
                        + out.lines().limit(3).collect(Collectors.joining(" | ")));
                return null;
            }
            return parse(out.lines().toList());
        } catch (IOException e) {
            Bench.note("jcmd unavailable: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Lines like {@code "   1:   12345   678900  java.lang.String (java.base@17)"} and {@code "Total  N  BYTES"}. */
    static Histogram parse(List<String> lines) {
        Map<String, Long> byClass = new HashMap<>();
        long total = -1;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].equals("Total")) {
                total = Long.parseLong(f[2]);
            } else if (f.length >= 4 && f[0].endsWith(":")) {
                byClass.merge(f[3], Long.parseLong(f[2]), Long::sum);
            }
        }
        return total < 0 ? null : new Histogram(total, byClass);
    }
}
