package org.realplexor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;

/**
 * The Grafana dashboard and the example alert rules name only series the server really
 * exports: servers (local, and Redis for the cluster-only series) are scraped, and every metric
 * name in the dashboard's PromQL and the rules' expressions must be among what they export.
 */
class OpsFilesTest {
    /** Our series and the library's; {@code up} and the like are Prometheus's own. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:realplexor|process|jvm|system)_[a-zA-Z0-9_]+)");

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void dashboardAndAlertsUseExportedSeries() throws Exception {
        Set<String> exported = new TreeSet<>();
        try (RealplexorServer s = RealplexorServer.start(settings(Map.of()))) {
            // GC pause series exist once a collection has happened (the JVM reports each one).
            System.gc();
            String text = scrape(s);
            for (int i = 0; i < 100 && !text.contains("jvm_gc_pause_seconds_sum"); i++) {
                Thread.sleep(50);
                text = scrape(s);
            }
            exported.addAll(names(text));
        }
        Process redis = startRedis();
        try (RealplexorServer s = RealplexorServer.start(settings(Map.of(
                "ENGINE", "redis", "REDIS_URL", "redis://127.0.0.1:" + redisPort, "REDIS_PREFIX", "opsfiles:")))) {
            exported.addAll(names(scrape(s)));
        } finally {
            redis.destroyForcibly().waitFor();
        }
        Set<String> used = new TreeSet<>();
        List<String> dashboardExprs = dashboardExpressions(ROOT.resolve("ops/grafana/realplexor.json"));
        List<String> alertExprs = alertExpressions(ROOT.resolve("ops/prometheus/alerts.yml"));
        assertTrue(dashboardExprs.size() >= 20, "dashboard expressions: " + dashboardExprs);
        assertEquals(7, alertExprs.size(), "alert rules: " + alertExprs);
        for (String e : dashboardExprs) used.addAll(metricsIn(e));
        for (String e : alertExprs) used.addAll(metricsIn(e));
        assertTrue(used.size() > 20, used.toString());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "used in ops/ but not exported; exported: " + exported);
    }

    /** Every metric name in one PromQL expression. */
    static Set<String> metricsIn(String promql) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(promql);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The {@code expr} of every panel target, and the templating queries. */
    static List<String> dashboardExpressions(Path file) throws Exception {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode p : root.path("panels"))
            for (JsonNode t : p.path("targets")) out.add(t.path("expr").asText());
        for (JsonNode v : root.path("templating").path("list"))
            out.add(v.path("query").asText());
        return out;
    }

    /** The {@code expr:} of every rule, one-line or a block ({@code expr: |}). */
    static List<String> alertExpressions(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("expr:");
            if (at < 0 || line.trim().startsWith("#")) continue;
            String value = line.substring(at + 5).trim();
            if (!value.equals("|") && !value.equals(">")) {
                out.add(value);
                continue;
            }
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && indent(lines.get(i + 1)) > at)
                block.append(lines.get(++i).trim()).append('\n');
            out.add(block.toString());
        }
        return out;
    }

    private static int indent(String line) {
        if (line.isBlank()) return Integer.MAX_VALUE;
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') n++;
        return n;
    }

    /** Metric names in a Prometheus text exposition. */
    static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') end++;
            out.add(line.substring(0, end));
        }
        return out;
    }

    private Settings settings(Map<String, Object> more) {
        Map<String, Object> m = new java.util.HashMap<>(Map.of(
                "WAIT_ADDR",
                "127.0.0.1:0",
                "IN_ADDR",
                "127.0.0.1:0",
                "ADMIN_ADDR",
                "127.0.0.1:0",
                "USERS_FILE",
                "",
                "VERBOSITY",
                "1"));
        m.putAll(more);
        return Settings.from(m, dir);
    }

    static String scrape(RealplexorServer s) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + s.adminPorts().get(0) + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private int redisPort;

    /** Debian's redis-server on a free loopback port, nothing saved. */
    private Process startRedis() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            redisPort = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(redisPort),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", redisPort)) {
                return p;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start");
    }
}
