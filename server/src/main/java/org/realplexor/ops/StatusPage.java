package org.realplexor.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.realplexor.hub.Hub;
import org.realplexor.hub.HubMetrics;

/**
 * The admin status page an operator opens in a browser ({@code /} on ADMIN_ADDR) and the JSON
 * it reads: {@code /api/summary} (connections, counters, a rate history, cluster nodes),
 * {@code /api/online?q=&page=&size=} (a page of the ONLINE table, searched by substring) and
 * {@code /api/events?n=} (the newest presence events, as WATCH gives them). The page and its
 * script are files in the jar: no CDN, nothing fetched from elsewhere.
 *
 * <p>With ADMIN_USERS every route of the admin listener needs a login except {@code /metrics}
 * and {@code /health*}, which scrapers and balancers read without credentials and which list
 * no ids.
 */
final class StatusPage {
    private static final String RESOURCES = "/org/realplexor/admin/";
    private static final int MAX_PAGE = 500;
    private static final int MAX_EVENTS = 200;
    /** {@code nodes ID (heartbeat due in 3.2s) ...} in the [redis] STATS section. */
    private static final Pattern NODE = Pattern.compile("(\\S+) \\(heartbeat due in ([0-9.]+)s\\)");

    private static final long NODES_TTL_MS = 3000;

    private final Hub hub;
    private final IntSupplier openConnections;
    private final String engine;
    private final RateHistory history = new RateHistory();
    private final long started = System.currentTimeMillis();
    private final Vertx vertx;
    private final long timer;
    private volatile JsonArray nodes = new JsonArray();
    private volatile long nodesAt;

    private StatusPage(Vertx vertx, Hub hub, IntSupplier openConnections, String engine) {
        this.vertx = vertx;
        this.hub = hub;
        this.openConnections = openConnections;
        this.engine = engine;
        this.timer = vertx.setPeriodic(
                1000, id -> hub.metrics().onSuccess(m -> history.sample(System.currentTimeMillis(), m)));
    }

    /**
     * Puts the login in front of every route but the open ones, then the page's routes. Call
     * before any other route is added, so that routes added later are behind the login too.
     */
    static StatusPage mount(
            Vertx vertx,
            Router router,
            Hub hub,
            IntSupplier openConnections,
            String engine,
            List<String> addrs,
            Path adminUsers)
            throws IOException {
        AdminAuth auth = AdminAuth.forSettings(addrs, adminUsers);
        if (auth != null) {
            router.route().handler(rc -> {
                if (open(rc.normalizedPath())) rc.next();
                else auth.handle(rc);
            });
        }
        StatusPage page = new StatusPage(vertx, hub, openConnections, engine);
        router.get("/").handler(rc -> page.resource(rc, "status.html", "text/html; charset=utf-8"));
        router.get("/status.js").handler(rc -> page.resource(rc, "status.js", "text/javascript; charset=utf-8"));
        router.get("/api/summary").handler(page::summary);
        router.get("/api/online").handler(page::online);
        router.get("/api/events").handler(page::events);
        return page;
    }

    /** Routes open without a login: what monitoring reads, which names no channel. */
    static boolean open(String path) {
        return path.equals("/metrics") || path.equals("/health") || path.startsWith("/health/");
    }

    void close() {
        vertx.cancelTimer(timer);
    }

    private void resource(RoutingContext rc, String name, String type) {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                rc.response().setStatusCode(404).end();
                return;
            }
            rc.response()
                    .putHeader("Content-Type", type)
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
                    .end(io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void summary(RoutingContext rc) {
        Future<HubMetrics> metrics = hub.metrics();
        Future<JsonArray> clusterNodes = nodes();
        Future.all(metrics, clusterNodes)
                .onComplete(ar -> rc.vertx().getOrCreateContext().runOnContext(v -> {
                    if (metrics.failed()) {
                        rc.fail(metrics.cause());
                        return;
                    }
                    HubMetrics m = metrics.result();
                    JsonObject o = new JsonObject()
                            .put("version", version())
                            .put("engine", engine)
                            .put("healthy", m.engineHealthy())
                            .put("now", System.currentTimeMillis())
                            .put("startedAt", started)
                            .put(
                                    "connections",
                                    new JsonObject()
                                            .put("tcp", openConnections.getAsInt())
                                            .put("longPolls", m.listeners() - m.streams())
                                            .put("streams", m.streams()))
                            .put("listenedIds", m.ids())
                            .put("publishes", m.publishes())
                            .put("deliveries", m.deliveries())
                            .put("timeouts", m.timeouts())
                            .put("rates", new JsonArray(history.json()))
                            .put("nodes", clusterNodes.succeeded() ? clusterNodes.result() : new JsonArray());
                    json(rc, o);
                }));
    }

    /** The cluster's nodes and when each one's heartbeat is due, from STATS (at most every few seconds). */
    private Future<JsonArray> nodes() {
        if (!engine.equals("redis")) return Future.succeededFuture(new JsonArray());
        if (System.currentTimeMillis() - nodesAt < NODES_TTL_MS) return Future.succeededFuture(nodes);
        return hub.stats().map(text -> {
            JsonArray out = parseNodes(text);
            nodes = out;
            nodesAt = System.currentTimeMillis();
            return out;
        });
    }

    static JsonArray parseNodes(String stats) {
        JsonArray out = new JsonArray();
        for (String line : stats.split("\n")) {
            if (!line.startsWith("nodes")) continue;
            Matcher m = NODE.matcher(line);
            while (m.find())
                out.add(new JsonObject().put("node", m.group(1)).put("heartbeatDueIn", Double.parseDouble(m.group(2))));
        }
        return out;
    }

    private void online(RoutingContext rc) {
        String q = param(rc, "q", "").toLowerCase(Locale.ROOT);
        int size = Math.max(1, Math.min(MAX_PAGE, intParam(rc, "size", 50)));
        int page = Math.max(0, intParam(rc, "page", 0));
        hub.online(null, List.of()).onComplete(ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
                return;
            }
            // The table may hold millions of rows: searched and cut off the event loops.
            rc.vertx()
                    .executeBlocking(() -> onlinePage(ar.result(), q, page, size), false)
                    .onComplete(r -> {
                        if (r.failed()) rc.fail(r.cause());
                        else json(rc, r.result());
                    });
        });
    }

    /** A page of {@code ID COUNT} lines (sorted by id) whose id holds {@code q}. */
    static JsonObject onlinePage(String text, String q, int page, int size) {
        JsonArray rows = new JsonArray();
        int matched = 0;
        int from = page * size;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            int space = text.lastIndexOf(' ', end);
            if (space > start) {
                String id = text.substring(start, space);
                if (q.isEmpty() || id.toLowerCase(Locale.ROOT).contains(q)) {
                    if (matched >= from && matched < from + size) {
                        rows.add(new JsonArray().add(id).add(Integer.parseInt(text.substring(space + 1, end))));
                    }
                    matched++;
                }
            }
            start = end + 1;
        }
        return new JsonObject()
                .put("total", matched)
                .put("page", page)
                .put("size", size)
                .put("rows", rows);
    }

    private void events(RoutingContext rc) {
        int n = Math.max(1, Math.min(MAX_EVENTS, intParam(rc, "n", 50)));
        // "0" asks WATCH for the next position (its FAKE line); events after next - n - 1 are the newest.
        hub.watch(null, "0", List.of())
                .compose(fake -> {
                    long next = Long.parseLong(fake.substring(5, fake.indexOf(':')));
                    long from = next - n - 1;
                    // WATCH reads a position of 0 as "where are we"; 0.5 means "after 0": every event kept.
                    return hub.watch(null, from > 0 ? Long.toString(from) : "0.5", List.of())
                            .map(text -> events(text, next));
                })
                .onComplete(ar -> {
                    if (ar.failed()) rc.fail(ar.cause());
                    else json(rc, ar.result());
                });
    }

    /** WATCH lines {@code online 12:id}, newest first. */
    static JsonObject events(String watch, long next) {
        List<JsonObject> list = new ArrayList<>();
        for (String line : watch.split("\n")) {
            int space = line.indexOf(' ');
            int colon = line.indexOf(':', space + 1);
            if (space < 0 || colon < 0) continue;
            list.add(new JsonObject()
                    .put("type", line.substring(0, space))
                    .put("pos", Long.parseLong(line.substring(space + 1, colon)))
                    .put("id", line.substring(colon + 1)));
        }
        java.util.Collections.reverse(list);
        return new JsonObject().put("next", next).put("events", new JsonArray(new ArrayList<>(list)));
    }

    private static void json(RoutingContext rc, JsonObject o) {
        rc.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(o.encode());
    }

    private static String param(RoutingContext rc, String name, String fallback) {
        String v = rc.request().getParam(name);
        return v == null ? fallback : v;
    }

    private static int intParam(RoutingContext rc, String name, int fallback) {
        try {
            return Integer.parseInt(param(rc, name, Integer.toString(fallback)).strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String version() {
        String v = StatusPage.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
