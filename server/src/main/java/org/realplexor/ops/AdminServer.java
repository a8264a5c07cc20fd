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
import org.realplexor.config.HostPort;
import org.realplexor.hub.Hub;
import org.realplexor.hub.HubMetrics;

/**
 * The admin listener (ADMIN_ADDR; off by default): {@code /health} for balancers,
 * {@code /metrics} in the Prometheus text format, {@code /status} with the STATS dump, and the
 * status page ({@code /}, see {@link StatusPage}) behind the optional login. It is
 * ordinary HTTP, so it runs on vertx-web; it reads the Hub only through its snapshots.
 */
public final class AdminServer {
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private StatusPage statusPage;

    private AdminServer() {
    }

    public static AdminServer start(Vertx vertx, List<String> addrs, Hub hub, IntSupplier openConnections,
                                    String engine) throws Exception {
        return start(vertx, addrs, hub, openConnections, engine, null);
    }

    /** @param adminUsers ADMIN_USERS: who may log in to the status page; null for no login (loopback only) */
    public static AdminServer start(Vertx vertx, List<String> addrs, Hub hub, IntSupplier openConnections,
                                    String engine, java.nio.file.Path adminUsers) throws Exception {
        AdminServer a = new AdminServer();
        Router router = Router.router(vertx);
        // First: its login guards every route added after it.
        a.statusPage = StatusPage.mount(vertx, router, hub, openConnections, engine, addrs, adminUsers);
        router.get("/health").handler(rc -> here(rc, hub.metrics(), ar -> health(rc, ar.succeeded() ? ar.result() : null, engine)));
        router.get("/metrics").handler(rc -> here(rc, hub.metrics(), ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
                return;
            }
            rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(PrometheusText.render(ar.result(), openConnections.getAsInt()));
        }));
        router.get("/status").handler(rc -> here(rc, hub.stats(), ar -> {
            if (ar.failed()) {
                rc.fail(ar.cause());
                return;
            }
            rc.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(ar.result());
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
                        ? "address already in use" : String.valueOf(e.getCause().getMessage());
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

    private static void health(RoutingContext rc, HubMetrics m, String engine) {
        boolean ok = m != null && m.engineHealthy();
        rc.response().setStatusCode(ok ? 200 : 503)
                .putHeader("Content-Type", "application/json")
                .end("{\"status\":\"" + (ok ? "UP" : "DEGRADED") + "\",\"engine\":\"" + engine + "\""
                        + (m == null ? "" : ",\"listeners\":" + m.listeners()) + "}\n");
    }
}
