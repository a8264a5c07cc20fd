package org.realplexor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;
import org.realplexor.engine.Engine;
import org.realplexor.engine.LocalEngine;

class AdminServerTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private Settings settings() {
        return Settings.from(
                Map.of(
                        "WAIT_ADDR",
                        "127.0.0.1:0",
                        "IN_ADDR",
                        "127.0.0.1:0",
                        "ADMIN_ADDR",
                        "127.0.0.1:0",
                        "USERS_FILE",
                        "",
                        "VERBOSITY",
                        "1"),
                dir);
    }

    private HttpResponse<String> get(RealplexorServer s, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + s.adminPorts().get(0) + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTakenAdminPortIsNamedInTheError() throws Exception {
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String addr = "127.0.0.1:" + taken.getLocalPort();
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                    Exception.class,
                    () -> RealplexorServer.start(settings().with(Map.of("ADMIN_ADDR", addr)))
                            .close());
            assertEquals("cannot listen on ADMIN_ADDR " + addr + ": address already in use", e.getMessage());
        }
    }

    @Test
    void healthMetricsAndStatus() throws Exception {
        try (RealplexorServer s = RealplexorServer.start(settings())) {
            try (Socket poll = new Socket("127.0.0.1", s.waitPort())) {
                poll.getOutputStream()
                        .write("GET /?identifier=m1 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                poll.getInputStream().read();
                publish(s.inPort(), "m2");
                String metrics = "";
                for (int i = 0; i < 50 && !metrics.contains("realplexor_listeners 1.0\n"); i++) {
                    metrics = get(s, "/metrics").body();
                    Thread.sleep(20);
                }
                assertTrue(metrics.contains("realplexor_listeners 1.0\n"), metrics);
                assertTrue(metrics.contains("realplexor_publishes_total 1.0\n"), metrics);
                assertTrue(metrics.contains("# TYPE realplexor_deliveries_total counter\n"), metrics);
                assertTrue(metrics.contains("realplexor_engine_healthy 1.0\n"), metrics);
                assertTrue(
                        metrics.contains("realplexor_connections{line=\"wait\",transport=\"long-poll\"} 1.0\n"),
                        metrics);
            }
            HttpResponse<String> health = get(s, "/health");
            assertEquals(200, health.statusCode());
            assertTrue(health.body().startsWith("{\"status\":\"UP\",\"engine\":\"local\""), health.body());
            String status = get(s, "/status").body();
            assertTrue(status.contains("[data_to_send]\nm2 => ["), status);
        }
    }

    @Test
    void healthSaysDegradedWhenTheEngineCannotReachItsStore() throws Exception {
        try (RealplexorServer s = RealplexorServer.start(
                settings(), (ctx, st) -> unhealthy(new LocalEngine(st, task -> ctx.runOnContext(v -> task.run()))))) {
            HttpResponse<String> health = get(s, "/health");
            assertEquals(503, health.statusCode());
            assertTrue(health.body().contains("\"DEGRADED\""), health.body());
            HttpResponse<String> ready = get(s, "/health/ready");
            assertEquals(503, ready.statusCode());
            assertEquals("not ready: the engine cannot reach its store\n", ready.body());
            assertEquals(200, get(s, "/health/live").statusCode());
        }
    }

    /** The local engine, except that it reports itself unhealthy. */
    private static Engine unhealthy(Engine real) {
        return (Engine) Proxy.newProxyInstance(
                Engine.class.getClassLoader(),
                new Class<?>[] {Engine.class},
                (proxy, m, args) -> m.getName().equals("healthy") ? Boolean.FALSE : m.invoke(real, args));
    }

    private static void publish(int port, String id) throws IOException {
        try (Socket in = new Socket("127.0.0.1", port)) {
            in.getOutputStream()
                    .write(("POST / HTTP/1.1\r\nX-Realplexor: identifier=" + id + "\r\n\r\n\"x\"")
                            .getBytes(StandardCharsets.ISO_8859_1));
            in.shutdownOutput();
            assertTrue(new String(in.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)
                    .startsWith("HTTP/1.0 200 OK"));
        }
    }
}
