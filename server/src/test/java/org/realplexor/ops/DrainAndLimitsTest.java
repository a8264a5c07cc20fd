package org.realplexor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;

/** SIGTERM's paced drain and readiness, and the MAX_CONNECTIONS / IN_MAX_CONNECTIONS caps, over real sockets. */
class DrainAndLimitsTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private Settings settings(Map<String, Object> more) {
        Map<String, Object> m = new HashMap<>(Map.of(
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

    private HttpResponse<String> get(RealplexorServer s, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + s.adminPorts().get(0) + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A held long-poll, once its head has arrived. */
    private static Socket poll(int port, String id) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        s.getOutputStream()
                .write(("GET /?identifier=" + id + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        byte[] head = new byte[12];
        int n = s.getInputStream().readNBytes(head, 0, 12);
        assertEquals("HTTP/1.1 200", new String(head, 0, n, StandardCharsets.ISO_8859_1));
        return s;
    }

    @Test
    void drainSpreadsTheEndsOfHeldPollsOverDrainSecondsAndIsNotReadyAtOnce() throws Exception {
        int n = 200;
        RealplexorServer s = RealplexorServer.start(settings(Map.of("DRAIN_SECONDS", "2")));
        List<Socket> polls = new ArrayList<>();
        List<CompletableFuture<Long>> ends = new ArrayList<>();
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            for (int i = 0; i < n; i++) polls.add(poll(s.waitPort(), "drain" + i));
            for (Socket p : polls) {
                ends.add(CompletableFuture.supplyAsync(() -> endOf(p), readers));
            }
            assertEquals(200, get(s, "/health/ready").statusCode());
            long t0 = System.nanoTime();
            CompletableFuture<Void> drained = CompletableFuture.runAsync(s::drain);
            HttpResponse<String> ready = null;
            while (System.nanoTime() - t0 < 1_000_000_000L) {
                ready = get(s, "/health/ready");
                if (ready.statusCode() == 503) break;
            }
            long notReadyAfterMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, ready.statusCode());
            assertEquals("not ready: draining: the server is stopping\n", ready.body());
            assertTrue(notReadyAfterMs < 300, "not ready after " + notReadyAfterMs + " ms");
            drained.get(20, java.util.concurrent.TimeUnit.SECONDS);
            long[] at = new long[n];
            for (int i = 0; i < n; i++)
                at[i] = (ends.get(i).get(10, java.util.concurrent.TimeUnit.SECONDS) - t0) / 1_000_000;
            Arrays.sort(at);
            // Spread over most of the 2 s window, and no crowd: at most a tenth in any 100 ms.
            assertTrue(at[n - 1] - at[0] >= 1500, "ends from " + at[0] + " to " + at[n - 1] + " ms");
            assertTrue(at[n - 1] <= 3000, "last end at " + at[n - 1] + " ms");
            int densest = 0;
            for (int i = 0, j = 0; i < n; i++) {
                while (at[i] - at[j] >= 100) j++;
                densest = Math.max(densest, i - j + 1);
            }
            assertTrue(densest <= n / 10, densest + " of " + n + " ended within 100 ms: " + Arrays.toString(at));
        } finally {
            s.close();
            for (Socket p : polls) p.close();
            readers.shutdownNow();
        }
    }

    /** When the poll's connection ends (nanoTime), having got the head alone. */
    private static long endOf(Socket p) {
        try {
            InputStream in = p.getInputStream();
            while (in.read() >= 0) {
                // the rest of an empty answer
            }
            return System.nanoTime();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void maxConnectionsRefusesNewPollsAndKeepsHeldOnes() throws Exception {
        try (RealplexorServer s = RealplexorServer.start(settings(Map.of("MAX_CONNECTIONS", "3")))) {
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) held.add(poll(s.waitPort(), "cap"));
            try (Socket extra = new Socket("127.0.0.1", s.waitPort())) {
                extra.setSoTimeout(5000);
                extra.getOutputStream()
                        .write("GET /?identifier=cap HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(extra.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                assertTrue(answer.contains("\r\nRetry-After: "), answer);
                assertTrue(answer.contains("MAX_CONNECTIONS"), answer);
            }
            assertEquals("HTTP/1.0 200", publish(s.inPort(), "cap").substring(0, 12));
            for (Socket p : held) {
                String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(body.contains("\"cap\""), body);
                p.close();
            }
            String metrics = get(s, "/metrics").body();
            assertTrue(
                    metrics.contains(
                            "realplexor_connections_refused_total{line=\"wait\",reason=\"max_connections\"} 1.0\n"),
                    metrics);
            assertTrue(metrics.contains("realplexor_connections_accepted_total{line=\"wait\"} 3.0\n"), metrics);
        }
    }

    @Test
    void inMaxConnectionsRefusesNewInConnections() throws Exception {
        try (RealplexorServer s = RealplexorServer.start(settings(Map.of("IN_MAX_CONNECTIONS", "1")))) {
            try (Socket first = new Socket("127.0.0.1", s.inPort())) {
                first.getOutputStream().write("POST / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(300); // accepted (the listener defers accepting until bytes arrive)
                String refused = publish(s.inPort(), "incap");
                assertTrue(refused.startsWith("HTTP/1.0 503 "), refused);
                assertTrue(refused.contains("\r\nRetry-After: 1\r\n"), refused);
                assertTrue(refused.contains("IN_MAX_CONNECTIONS"), refused);
            }
            String ok = "";
            for (int i = 0; i < 50 && !ok.startsWith("HTTP/1.0 200"); i++) {
                Thread.sleep(20);
                ok = publish(s.inPort(), "incap");
            }
            assertTrue(ok.startsWith("HTTP/1.0 200"), ok);
            String metrics = get(s, "/metrics").body();
            assertTrue(
                    metrics.contains(
                            "realplexor_connections_refused_total{line=\"in\",reason=\"max_connections\"} 1.0\n"),
                    metrics);
            assertTrue(metrics.contains("realplexor_in_answers_total{status=\"503\"} 1.0\n"), metrics);
        }
    }

    private static String publish(int port, String id) throws Exception {
        try (Socket in = new Socket("127.0.0.1", port)) {
            in.setSoTimeout(5000);
            in.getOutputStream()
                    .write(("POST / HTTP/1.1\r\nX-Realplexor: identifier=" + id + "\r\n\r\n\"x\"")
                            .getBytes(StandardCharsets.ISO_8859_1));
            in.shutdownOutput();
            return new String(in.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
