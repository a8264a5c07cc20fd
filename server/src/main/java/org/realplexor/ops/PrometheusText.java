package org.realplexor.ops;

import org.realplexor.hub.HubMetrics;

/** Prints the counters in the Prometheus text exposition format. */
final class PrometheusText {
    private PrometheusText() {
    }

    static String render(HubMetrics m, int openConnections) {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "realplexor_connections_open", "TCP connections open on the WAIT and IN lines", openConnections);
        gauge(sb, "realplexor_listeners", "WAIT connections registered with the Hub", m.listeners());
        gauge(sb, "realplexor_streams", "registered SSE and WebSocket streams", m.streams());
        gauge(sb, "realplexor_listened_ids", "ids with at least one listener", m.ids());
        counter(sb, "realplexor_publishes_total", "messages stored", m.publishes());
        counter(sb, "realplexor_deliveries_total", "message parts delivered to listeners", m.deliveries());
        counter(sb, "realplexor_wait_timeouts_total", "polls closed by WAIT_TIMEOUT", m.timeouts());
        gauge(sb, "realplexor_engine_healthy", "1 when the engine reaches its store", m.engineHealthy() ? 1 : 0);
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        line(sb, name, help, "gauge", v);
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        line(sb, name, help, "counter", v);
    }

    private static void line(StringBuilder sb, String name, String help, String type, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(v).append('\n');
    }
}
