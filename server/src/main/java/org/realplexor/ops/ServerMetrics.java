package org.realplexor.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import org.realplexor.engine.EngineMetrics;
import org.realplexor.hub.Hub;
import org.realplexor.hub.HubMetrics;
import org.realplexor.net.InAdmission;
import org.realplexor.net.LoopCounters;
import org.realplexor.net.NetLines;
import org.realplexor.net.WaitAdmission;

/**
 * The server's metrics in a Micrometer Prometheus registry. Nothing here runs per message or
 * per connection: the counters are the Hub's and the lines' own fields, which gauges and
 * function counters read when /metrics is scraped. The Hub's are copied on its thread once per
 * scrape ({@link #scrape}); the lines' per-loop counters are added up racily (see
 * {@link LoopCounters}). The one exception is the hand-out histogram, recorded once per
 * message that reached listeners (not per listener), on the Hub's thread.
 */
public final class ServerMetrics implements AutoCloseable {
    /** Statuses the IN line answers with, shown from the start (others appear once they occur). */
    private static final int[] IN_STATUSES = {200, 400, 403, 408, 413, 429, 503};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Hub hub;
    private final NetLines lines;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final boolean[] inStatusShown = new boolean[600];
    /** The Hub's counters as of the last scrape (one copy per scrape, taken on the Hub's thread). */
    private volatile HubMetrics hubNow;

    public ServerMetrics(Hub hub, NetLines lines, BooleanSupplier ready) throws Exception {
        this.hub = hub;
        this.lines = lines;
        this.hubNow = hub.metrics().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        buildInfo();
        gauge("realplexor.ready", "1 while /health/ready says ready", ready, r -> r.getAsBoolean() ? 1 : 0);
        lineMeters();
        hubMeters();
        engineMeters(hubNow.engine());
        Timer handOut = Timer.builder("realplexor.delivery.duration")
                .description("from a message reaching the Hub (stored, or read from the Redis bus) to its last answer"
                        + " handed to the channels; once per message that had listeners")
                .serviceLevelObjectives(
                        ms(0.1), ms(0.25), ms(0.5), ms(1), ms(2.5), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250),
                        ms(500), ms(1000), ms(2500))
                .register(registry);
        hub.onDeliveryTimed(ns -> handOut.record(ns, TimeUnit.NANOSECONDS));
    }

    private static Duration ms(double millis) {
        return Duration.ofNanos((long) (millis * 1_000_000));
    }

    /**
     * {@code realplexor_build_info{version,commit} 1}: an info metric (Prometheus's own kind, so
     * the registry keeps the {@code _info} suffix that it strips from a gauge's name).
     */
    private void buildInfo() {
        String[] vc = BuildVersion.read();
        Info info = Info.builder()
                .name("realplexor_build_info")
                .help("the running build")
                .labelNames("version", "commit")
                .build();
        info.setLabelValues(vc[0], vc[1]);
        registry.getPrometheusRegistry().register(info);
    }

    private void lineMeters() {
        WaitAdmission wait = lines.waitAdmission();
        LoopCounters w = wait.counters();
        InAdmission in = lines.inAdmission();
        LoopCounters i = in.counters();
        gauge(
                "realplexor.connections.open",
                "TCP connections open on the WAIT and IN lines",
                lines,
                NetLines::openConnections);
        heldGauge("wait", "long-poll", w, WaitAdmission.LONG_POLLS);
        heldGauge("wait", "eventsource", w, WaitAdmission.EVENT_SOURCES);
        heldGauge("wait", "websocket", w, WaitAdmission.WEB_SOCKETS);
        Gauge.builder(
                        "realplexor.connections",
                        lines,
                        n -> Math.max(0, n.openConnections() - n.waitAdmission().open()))
                .description("connections held, by line and transport")
                .tags("line", "in", "transport", "in")
                .strongReference(true)
                .register(registry);
        gauge(
                "realplexor.wait.connections.max",
                "WAIT connections the line admits at most (its share of the open files limit)",
                wait,
                WaitAdmission::cap);
        counter("realplexor.connections.accepted", "connections admitted", w, WaitAdmission.ACCEPTED, "line", "wait");
        counter("realplexor.connections.accepted", "connections admitted", i, InAdmission.ACCEPTED, "line", "in");
        counter(
                "realplexor.connections.refused",
                "connections refused with a 503",
                w,
                WaitAdmission.REFUSED_MAX,
                "line",
                "wait",
                "reason",
                "max_connections");
        counter(
                "realplexor.connections.refused",
                "connections refused with a 503",
                w,
                WaitAdmission.REFUSED_FILES,
                "line",
                "wait",
                "reason",
                "open_files");
        counter(
                "realplexor.connections.refused",
                "connections refused with a 503",
                w,
                WaitAdmission.REFUSED_PER_IP,
                "line",
                "wait",
                "reason",
                "per_ip");
        counter(
                "realplexor.connections.refused",
                "connections refused with a 503",
                i,
                InAdmission.REFUSED,
                "line",
                "in",
                "reason",
                "max_connections");
        for (int code : IN_STATUSES) inStatus(code);
        FunctionCounter.builder(
                        "realplexor.auth.failures",
                        i,
                        c -> c.sum(InAdmission.statusSlot(403)) + c.sum(InAdmission.statusSlot(429)))
                .description("IN requests refused for their credentials (403) or throttled after failures (429)")
                .register(registry);
    }

    private void heldGauge(String line, String transport, LoopCounters c, int slot) {
        Gauge.builder("realplexor.connections", c, x -> Math.max(0, x.sum(slot)))
                .description("connections held, by line and transport")
                .tags("line", line, "transport", transport)
                .strongReference(true)
                .register(registry);
    }

    /** Shows IN answers with this status; at scrape, statuses not shown yet are added as they occur. */
    private void inStatus(int code) {
        if (inStatusShown[code]) return;
        inStatusShown[code] = true;
        FunctionCounter.builder(
                        "realplexor.in.answers",
                        lines.inAdmission().counters(),
                        c -> c.sum(InAdmission.statusSlot(code)))
                .description("IN answers by HTTP status")
                .tags("status", Integer.toString(code))
                .register(registry);
    }

    private void hubMeters() {
        hubGauge("realplexor.listeners", "WAIT connections registered with the Hub", HubMetrics::listeners);
        hubGauge("realplexor.streams", "registered SSE and WebSocket streams", HubMetrics::streams);
        hubGauge("realplexor.listened.ids", "ids with at least one listener", HubMetrics::ids);
        hubGauge("realplexor.engine.healthy", "1 when the engine reaches its store", m -> m.engineHealthy() ? 1 : 0);
        hubCounter("realplexor.publishes", "messages stored", HubMetrics::publishes);
        hubCounter("realplexor.deliveries", "message parts handed to listeners", HubMetrics::deliveries);
        hubCounter("realplexor.polls.answered", "long-polls answered with messages", HubMetrics::pollsAnswered);
        hubCounter("realplexor.wait.timeouts", "polls closed by WAIT_TIMEOUT", HubMetrics::timeouts);
    }

    /** Only what the engine knows: the Redis engine leaves Redis's tables uncounted. */
    private void engineMeters(EngineMetrics e) {
        if (e.queuedIds() >= 0)
            hubGauge(
                    "realplexor.queued.ids",
                    "ids with queued messages",
                    m -> m.engine().queuedIds());
        if (e.queuedMessages() >= 0)
            hubGauge(
                    "realplexor.queued.messages",
                    "queued messages (one entry per id)",
                    m -> m.engine().queuedMessages());
        if (e.queuedBytes() >= 0)
            hubGauge(
                    "realplexor.queued.bytes",
                    "bytes of the queued messages (per id)",
                    m -> m.engine().queuedBytes());
        if (e.onlineIds() >= 0)
            hubGauge(
                    "realplexor.online.ids",
                    "ids online (listened to, or in their offline countdown)",
                    m -> m.engine().onlineIds());
        if (e.presenceEvents() >= 0)
            hubCounter(
                    "realplexor.presence.events",
                    "online and offline events",
                    m -> m.engine().presenceEvents());
        if (!e.redis()) return;
        hubGauge(
                "realplexor.redis.up",
                "1 while both Redis connections are up",
                m -> m.engine().redisUp() ? 1 : 0);
        hubCounter(
                "realplexor.redis.reconnects",
                "Redis connections made again after a loss",
                m -> m.engine().redisReconnects());
        hubCounter(
                "realplexor.redis.unreplicated.publishes",
                "publishes stored with fewer replica acknowledgements"
                        + " than REDIS_REPLICA_ACKS (reduced durability)",
                m -> m.engine().redisUnreplicated());
        hubCounter(
                "realplexor.redis.replica.ack.timeouts",
                "publishes answered 503: replicas did not acknowledge" + " within REDIS_REPLICA_ACK_TIMEOUT",
                m -> m.engine().redisAckTimeouts());
        FunctionTimer.builder(
                        "realplexor.redis.command",
                        this,
                        s -> s.hubNow.engine().redisCommands(),
                        s -> s.hubNow.engine().redisCommandNanos(),
                        TimeUnit.NANOSECONDS)
                .description("Redis commands answered and their time from sent to answered")
                .register(registry);
    }

    private void hubGauge(String name, String help, ToDoubleFunction<HubMetrics> f) {
        gauge(name, help, this, s -> f.applyAsDouble(s.hubNow));
    }

    private void hubCounter(String name, String help, ToDoubleFunction<HubMetrics> f) {
        FunctionCounter.builder(name, this, s -> f.applyAsDouble(s.hubNow))
                .description(help)
                .register(registry);
    }

    private <T> void gauge(String name, String help, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(help).strongReference(true).register(registry);
    }

    private void counter(String name, String help, LoopCounters c, int slot, String... tags) {
        FunctionCounter.builder(name, c, x -> x.sum(slot))
                .description(help)
                .tags(tags)
                .register(registry);
    }

    /**
     * The Prometheus text: copies the Hub's counters on its thread (one task), then renders. The
     * caller renders off the Hub's thread (the future completes there).
     */
    public Future<Void> refresh() {
        return hub.metrics().map(m -> {
            hubNow = m;
            return null;
        });
    }

    /** Renders the registry; call after {@link #refresh}, off the Hub's thread. */
    public synchronized String render() {
        LoopCounters in = lines.inAdmission().counters();
        for (int code = 100; code < 600; code++) {
            if (!inStatusShown[code] && in.sum(InAdmission.statusSlot(code)) > 0) inStatus(code);
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
