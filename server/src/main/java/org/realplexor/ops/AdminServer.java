package org.realplexor.ops;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.realplexor.config.HostPort;
import org.realplexor.hub.Hub;
import org.realplexor.hub.HubMetrics;

/**
 * The admin listener (ADMIN_ADDR; off by default): {@code /health} for balancers,
 * {@code /health/live} and {@code /health/ready} for orchestrators, {@code /metrics} in the
 * Prometheus text format, {@code /status} with the STATS dump, and the status page ({@code /},
 * see {@link StatusPage}) behind the optional login. It is
 * ordinary HTTP, so it runs on vertx-web; it reads the Hub only through its snapshots.
 */
public final class AdminServer {
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private StatusPage statusPage;

    private AdminServer() {}

    /**
     * @param metrics         what /metrics renders
     * @param ready           why the server is not ready (null when it is): /health/ready
     * @param openConnections connections open on both lines, for the status page
     * @param adminUsers      ADMIN_USERS: who may log in to the status page; null for no login (loopback only)
     */
    public static AdminServer start(
            Vertx vertx,
            List<String> addrs,
            Hub hub,
            ServerMetrics metrics,
            Supplier<String> ready,
            String engine,
            IntSupplier openConnections,
            java.nio.file.Path adminUsers)
            throws Exception {
        AdminServer a = new AdminServer();
        Router router = Router.router(vertx);
        // First: its login guards every route added after it.
        a.statusPage = StatusPage.mount(vertx, router, hub, openConnections, engine, addrs, adminUsers);
        router.get("/health")
                .handler(rc -> here(rc, hub.metrics(), ar -> health(rc, ar.succeeded() ? ar.result() : null, engine)));
        router.get("/health/live").handler(AdminServer::live);
        router.get("/health/ready").handler(rc -> ready(rc, ready.get()));
        router.get("/metrics").handler(rc -> metrics(rc, metrics));
        router.get("/status")
                .handler(rc -> here(rc, hub.stats(), ar -> {
                    if (ar.failed()) {
                        rc.fail(ar.cause());
                        return;
                    }
                    rc.response()
                            .putHeader("Content-Type", "text/plain; charset=utf-8")
                            .end(ar.result());
                }));
        for (String addr : addrs) {
            HostPort hp = HostPort.parse("ADMIN_ADDR", addr);
            HttpServer server = vertx.createHttpServer().requestHandler(router);
            Future<HttpServer> f = server.listen(hp.port(), hp.host());
            HttpServer bound;
            try {
                bound = f.toCompletionStage().toCompletableFuture().get();
            } catch (java.util.concurrent.ExecutionException e) {
                a.close();
                String why = e.getCause() instanceof java.net.BindException
                                || String.valueOf(e.getCause().getMessage()).contains("Address already in use")
                        ? "address already in use"
                        : String.valueOf(e.getCause().getMessage());
                throw new IllegalStateException("cannot listen on ADMIN_ADDR " + addr + ": " + why, e.getCause());
            }
            a.servers.add(bound);
            a.ports.add(bound.actualPort());
        }
        return a;
    }

    public List<Integer> ports() {
        return ports;
    }

    public void close() {
        if (statusPage != null) statusPage.close();
        for (HttpServer s : servers) s.close();
        servers.clear();
    }

    /**
     * Answers on the request's own thread, not the Hub's where the snapshot completes: writing
     * the response (the STATS dump is up to a few hundred KB) is then no work of the Hub's.
     */
    private static <T> void here(RoutingContext rc, Future<T> snapshot, Handler<AsyncResult<T>> answer) {
        Context request = rc.vertx().getOrCreateContext();
        snapshot.onComplete(ar -> request.runOnContext(v -> answer.handle(ar)));
    }

    /** The Prometheus text: the Hub's counters copied on its thread, rendered on the request's. */
    private static void metrics(RoutingContext rc, ServerMetrics metrics) {
        here(rc, metrics.refresh(), ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
                return;
            }
            rc.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.render());
        });
    }

    /** 200 while the process serves HTTP at all: nothing else is asked, so a busy Hub does not fail it. */
    private static void live(RoutingContext rc) {
        rc.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("live\n");
    }

    /** 200 when the server should get traffic; 503 with the one-line reason when not. */
    private static void ready(RoutingContext rc, String notReady) {
        rc.response()
                .setStatusCode(notReady == null ? 200 : 503)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(notReady == null ? "ready\n" : "not ready: " + notReady + "\n");
    }

    private static void health(RoutingContext rc, HubMetrics m, String engine) {
        boolean ok = m != null && m.engineHealthy();
        rc.response()
                .setStatusCode(ok ? 200 : 503)
                .putHeader("Content-Type", "application/json")
                .end("{\"status\":\"" + (ok ? "UP" : "DEGRADED") + "\",\"engine\":\"" + engine + "\""
                        + (m == null ? "" : ",\"listeners\":" + m.listeners()) + "}\n");
    }
}
