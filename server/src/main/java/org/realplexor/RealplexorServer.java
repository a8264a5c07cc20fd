package org.realplexor;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.realplexor.config.ConfigPrint;
import org.realplexor.config.Settings;
import org.realplexor.engine.Engine;
import org.realplexor.engine.EngineFactory;
import org.realplexor.hub.Hub;
import org.realplexor.net.NetLines;
import org.realplexor.net.PasswordChecks;
import org.realplexor.net.TimerWheel;
import org.realplexor.ops.AdminServer;
import org.realplexor.ops.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running server: the Hub, its engine and both listeners on one Vert.x instance. */
public final class RealplexorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealplexorServer.class);

    private final Vertx vertx;
    private final Hub hub;
    private final NetLines lines;
    private final AdminServer admin;
    private final ServerMetrics metrics;
    /** This server's per-connection deadlines and password checks: their threads end with it. */
    private final TimerWheel timers;

    private final PasswordChecks passwords;
    /** The settings in force: a reload compares against them. */
    private volatile Settings settings;

    private boolean stopped;

    /** Knobs read only at start (config/Knobs): a reload that changes them says so instead of ignoring them silently. */
    private static final List<String> RESTART_ONLY = org.realplexor.config.Knobs.restartOnly();

    private RealplexorServer(
            Vertx vertx,
            Hub hub,
            NetLines lines,
            AdminServer admin,
            ServerMetrics metrics,
            TimerWheel timers,
            PasswordChecks passwords,
            Settings settings,
            AtomicBoolean draining) {
        this.vertx = vertx;
        this.hub = hub;
        this.lines = lines;
        this.admin = admin;
        this.metrics = metrics;
        this.timers = timers;
        this.passwords = passwords;
        this.settings = settings;
        this.draining = draining;
    }

    /** Set at once when stopping starts: /health/ready then says 503 (its check is made before this object). */
    private final AtomicBoolean draining;

    /** Starts a server with the engine its ENGINE knob names; returns once both lines listen. */
    public static RealplexorServer start(Settings settings) throws Exception {
        return start(settings, EngineFactory.forSettings(settings));
    }

    /** Starts a server on an engine of the caller's choice. */
    public static RealplexorServer start(Settings settings, EngineFactory engines) throws Exception {
        Logging.apply(settings.verbosity());
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(
                        settings.ioThreads() > 0
                                ? settings.ioThreads()
                                : Math.max(1, Runtime.getRuntime().availableProcessors())));
        TimerWheel timers = new TimerWheel();
        PasswordChecks passwords = new PasswordChecks();
        try {
            VertxInternal vx = (VertxInternal) vertx;
            ContextInternal hubContext = vx.createEventLoopContext();
            Engine engine = engines.create(hubContext, settings);
            Hub hub = new Hub(hubContext.nettyEventLoop(), engine, settings);
            hub.start();
            NetLines lines = NetLines.start(vx, hub, settings, UsersAuthenticator::load, timers, passwords);
            AtomicBoolean draining = new AtomicBoolean();
            ServerMetrics metrics = settings.adminAddr().isEmpty()
                    ? null
                    : new ServerMetrics(hub, lines, () -> notReady(draining, hub) == null);
            AdminServer admin = metrics == null
                    ? null
                    : AdminServer.start(
                            vertx,
                            settings.adminAddr(),
                            hub,
                            metrics,
                            () -> notReady(draining, hub),
                            settings.engine(),
                            lines::openConnections,
                            settings.adminUsersFile());
            if (admin != null)
                log.info(
                        "admin listening on {} (/health, /health/live, /health/ready, /metrics, /status, the status page /)",
                        admin.ports());
            log.info(
                    "realplexor started ({} transport)",
                    vx.transport().getClass().getSimpleName());
            return new RealplexorServer(vertx, hub, lines, admin, metrics, timers, passwords, settings, draining);
        } catch (Exception | Error e) {
            vertx.close();
            timers.close();
            passwords.close();
            throw e;
        }
    }

    public int waitPort() {
        return lines.waitAddresses().get(0).getPort();
    }

    public int inPort() {
        return lines.inAddresses().get(0).getPort();
    }

    public List<InetSocketAddress> waitAddresses() {
        return lines.waitAddresses();
    }

    public List<InetSocketAddress> inAddresses() {
        return lines.inAddresses();
    }

    /** Bound WAIT_TLS_ADDR / IN_TLS_ADDR addresses (empty without TLS). */
    public List<InetSocketAddress> waitTlsAddresses() {
        return lines.waitTlsAddresses();
    }

    public List<InetSocketAddress> inTlsAddresses() {
        return lines.inTlsAddresses();
    }

    /** Bound admin ports (empty without ADMIN_ADDR). */
    public List<Integer> adminPorts() {
        return admin == null ? List.of() : admin.ports();
    }

    /**
     * Applies re-read settings (SIGHUP): timeouts, limits, users file, templates, CORS. Listen
     * addresses need a restart; a change there is logged and ignored. Connections stay up.
     */
    public void reload(Settings settings) throws IOException {
        Logging.apply(settings.verbosity());
        lines.reload(settings);
        hub.apply(settings);
        for (String knob : RESTART_ONLY) {
            String was = this.settings.knobText(knob);
            String now = settings.knobText(knob);
            if (!java.util.Objects.equals(was, now)) {
                log.warn(
                        "{} changed ({} -> {}): it takes effect only on restart",
                        knob,
                        was == null ? null : ConfigPrint.masked(knob, was),
                        now == null ? null : ConfigPrint.masked(knob, now));
            }
        }
        this.settings = settings;
        log.info("settings reloaded");
    }

    /**
     * Why the server should get no traffic now, or null: it is stopping (its lines no longer
     * listen), or its engine cannot reach its store. Both lines listen from start on.
     */
    private static String notReady(AtomicBoolean draining, Hub hub) {
        if (draining.get()) return "draining: the server is stopping";
        if (!hub.engineHealthy()) return "the engine cannot reach its store";
        return null;
    }

    /** Stops at once: held polls end together (tests, embedding). SIGTERM uses {@link #drain()}. */
    @Override
    public void close() {
        stop(0);
    }

    /**
     * Stops as SIGTERM does: not ready at once, no new connections, then the held polls end
     * spread over DRAIN_SECONDS (jittered), so that this node's clients do not all reconnect to
     * the other nodes in the same instant.
     */
    public void drain() {
        stop(settings.drainMs());
    }

    private synchronized void stop(long spreadMillis) {
        if (stopped) return;
        stopped = true;
        draining.set(true);
        lines.stopAccepting();
        try {
            if (spreadMillis > 0) log.info("draining: held connections end over the next {} s", spreadMillis / 1000.0);
            hub.shutdown(spreadMillis)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(spreadMillis + 5000, TimeUnit.MILLISECONDS);
            // Let the answers and IN requests already under way finish writing.
            lines.awaitQuiet(2000);
        } catch (Exception e) {
            log.warn("shutdown: {}", e.toString());
        } finally {
            if (admin != null) admin.close();
            if (metrics != null) metrics.close();
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("closing Vert.x: {}", e.toString());
            }
            timers.close();
            passwords.close();
        }
    }
}
