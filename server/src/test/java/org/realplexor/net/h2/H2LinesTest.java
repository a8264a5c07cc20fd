package org.realplexor.net.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;
import org.realplexor.net.tls.TestPki;

/** The real server's WAIT_TLS_ADDR spoken to over HTTP/2: Java's HttpClient, and a bare frame client. */
class H2LinesTest {
    @TempDir
    static Path dir;

    static TestPki pki;
    static SSLContext trusting;
    static RealplexorServer server;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(dir).ca("ca").server("ec", "ca", "ec", "pkcs8", 2, 2001);
        trusting = pki.clientTrusting("ca");
        server = start(Map.of("H2_MAX_CONCURRENT_STREAMS", "60"));
    }

    static RealplexorServer start(Map<String, String> extra) throws Exception {
        Map<String, Object> knobs = new LinkedHashMap<>(Map.of(
                "WAIT_ADDR",
                "127.0.0.1:0",
                "IN_ADDR",
                "127.0.0.1:0",
                "WAIT_TLS_ADDR",
                "127.0.0.1:0",
                "TLS_CERT_FILE",
                "ec.pem",
                "TLS_KEY_FILE",
                "ec.key"));
        knobs.putAll(extra);
        return RealplexorServer.start(Settings.from(knobs, dir));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static int tls(RealplexorServer s) {
        return s.waitTlsAddresses().get(0).getPort();
    }

    HttpClient h2() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(trusting)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    static HttpRequest.Builder get(RealplexorServer s, String query) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + tls(s) + "/?" + query))
                .timeout(Duration.ofSeconds(20));
    }

    /** The IN line, as the original PHP API speaks it: request, half-close, answer to EOF. */
    static String in(RealplexorServer s, String header, String body) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", s.inPort())) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            sock.getOutputStream()
                    .write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + b.length + "\r\n" + header + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            sock.getOutputStream().write(b);
            sock.shutdownOutput();
            return new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String publish(RealplexorServer s, String ids, String json) throws IOException {
        String answer = in(s, "X-Realplexor: identifier=" + ids + "\r\n", json);
        assertTrue(answer.startsWith("HTTP/1.0 200"), answer);
        return answer;
    }

    /** Waits until every id has a listener (ONLINE counts them). */
    static void listening(RealplexorServer s, String prefix, int ids) throws Exception {
        long until = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < until) {
            String body = in(s, "", "ONLINE " + prefix).split("\r\n\r\n", 2)[1];
            if (body.lines().filter(l -> !l.isBlank()).count() >= ids) return;
            Thread.sleep(20);
        }
        throw new AssertionError("not all " + ids + " ids of " + prefix + " are listened to");
    }

    /** A poll over HTTP/1.1 on the TLS port (ALPN offers http/1.1 alone); returns the body bytes after the head. */
    static byte[] http11Body(String query) throws IOException {
        try (SSLSocket s = (SSLSocket) trusting.getSocketFactory().createSocket("localhost", tls(server))) {
            s.setSoTimeout(10_000);
            var p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(p);
            s.getOutputStream()
                    .write(("GET /?" + query + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n") + 4;
            return Arrays.copyOfRange(all, end, all.length);
        }
    }

    @Test
    void aPollOnHttp2GetsTheSameBodyBytesAsOnHttp11() throws Exception {
        publish(server, "h2_same", "{\"n\": 1}");
        publish(server, "h2_same,h2_other", "\"two ünïcode\"");
        HttpResponse<byte[]> r =
                h2().send(get(server, "identifier=0:h2_same").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals(200, r.statusCode());
        assertTrue(
                r.headers().firstValue("content-type").orElse("").startsWith("text/javascript"),
                r.headers().toString());
        assertFalse(r.headers().firstValue("connection").isPresent(), "no connection-specific header on HTTP/2");
        byte[] h1 = http11Body("identifier=0:h2_same");
        assertTrue(
                new String(h1, StandardCharsets.UTF_8).contains("two ünïcode"), new String(h1, StandardCharsets.UTF_8));
        assertEquals(new String(h1, StandardCharsets.UTF_8), new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(Arrays.equals(h1, r.body()), "the same bytes");
    }

    @Test
    void staticPagesAndCorsOverHttp2() throws Exception {
        HttpClient c = h2();
        HttpResponse<String> page =
                c.send(get(server, "identifier=SCRIPT").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, page.version());
        assertTrue(page.body().contains("Dklab_Realplexor"), "the script, whole (its Content-Length met)");
        HttpResponse<String> bad = c.send(get(server, "nothing=here").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("identifier="), bad.body());
        publish(server, "h2_cors", "1");
        HttpResponse<String> cors = c.send(
                get(server, "identifier=0:h2_cors")
                        .header("Origin", "https://app.example")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(
                "https://app.example",
                cors.headers().firstValue("access-control-allow-origin").orElse(null));
    }

    @Test
    void manyConcurrentStreamsOnOneConnectionAreEachAnswered() throws Exception {
        HttpClient c = h2();
        int n = 50;
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < n; i++) {
            polls.add(
                    c.sendAsync(get(server, "identifier=h2_many_" + i).build(), HttpResponse.BodyHandlers.ofString()));
            ids.append(i == 0 ? "" : ",").append("h2_many_").append(i);
        }
        listening(server, "h2_many_", n);
        publish(server, ids.toString(), "\"to all\"");
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = polls.get(i).get(20, TimeUnit.SECONDS);
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertTrue(r.body().contains("\"to all\"") && r.body().contains("\"h2_many_" + i + "\""), r.body());
        }
    }

    @Test
    void eventSourceIsAStream() throws Exception {
        HttpResponse<InputStream> r = h2().send(
                        get(server, "identifier=h2_sse")
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        try (InputStream in = r.body()) {
            assertTrue(readUntil(in, "event: cursors").contains("retry: 1000"));
            publish(server, "h2_sse", "\"one\"");
            assertTrue(readUntil(in, "one").contains("data: "));
            publish(server, "h2_sse", "\"two\"");
            assertTrue(readUntil(in, "two").contains("two"), "the stream stays open");
        }
    }

    static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!got.toString(StandardCharsets.UTF_8).contains(marker)) {
            int k = in.read(buf);
            if (k < 0) break;
            got.write(buf, 0, k);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theStreamLimitIsSentAndEnforcedAndNoExtendedConnect() throws Exception {
        try (RawH2 c = new RawH2(trusting, tls(server))) {
            Map<Integer, Long> settings = settings(c.settings());
            assertEquals(60L, settings.get(3), "SETTINGS_MAX_CONCURRENT_STREAMS: " + settings);
            assertFalse(settings.containsKey(8), "no SETTINGS_ENABLE_CONNECT_PROTOCOL: WebSocket stays on HTTP/1.1");
            for (int i = 0; i < 61; i++) c.get(1 + 2 * i, "/?identifier=h2_limit_" + i);
            c.flush();
            RawH2.Frame f;
            do {
                f = c.read();
            } while (f.type() != RawH2.RST_STREAM);
            assertEquals(121, f.stream(), "the 61st stream is the one refused");
            assertEquals(RawH2.REFUSED_STREAM, f.errorCode());
        }
    }

    @Test
    void theLimitHoldsForAClientThatNeverAcknowledgesTheSettings() throws Exception {
        try (RawH2 c = new RawH2(trusting, tls(server))) {
            for (int i = 0; i < 61; i++) c.get(1 + 2 * i, "/?identifier=h2_noack_" + i);
            c.flush();
            RawH2.Frame f;
            do {
                f = c.read();
            } while (f.type() != RawH2.RST_STREAM);
            assertEquals(121, f.stream());
            assertEquals(RawH2.REFUSED_STREAM, f.errorCode());
        }
    }

    static Map<Integer, Long> settings(RawH2.Frame f) {
        Map<Integer, Long> m = new LinkedHashMap<>();
        byte[] p = f.payload();
        for (int i = 0; i + 6 <= p.length; i += 6) {
            int id = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
            long v = ((long) (p[i + 2] & 0xff) << 24)
                    | ((p[i + 3] & 0xff) << 16)
                    | ((p[i + 4] & 0xff) << 8)
                    | (p[i + 5] & 0xff);
            m.put(id, v);
        }
        return m;
    }

    @Test
    void aRapidResetFloodEndsThatConnectionAndOthersAreServed() throws Exception {
        int sent = 0;
        boolean goAway = false;
        try (RawH2 c = new RawH2(trusting, tls(server))) {
            c.settings();
            try {
                for (int i = 0; i < 2000; i++) {
                    int stream = 1 + 2 * i;
                    c.get(stream, "/?identifier=h2_flood_" + i).reset(stream, RawH2.CANCEL);
                    sent++;
                    if (i % 50 == 49) c.flush();
                }
                c.flush();
                for (; ; ) {
                    RawH2.Frame f = c.read();
                    if (f.type() == RawH2.GOAWAY) {
                        assertEquals(
                                RawH2.ENHANCE_YOUR_CALM,
                                f.errorCode(),
                                new String(f.payload(), 8, f.payload().length - 8, StandardCharsets.UTF_8));
                        goAway = true;
                        break;
                    }
                }
            } catch (IOException closed) {
                // the server may close before the flood is all written
            }
        }
        assertTrue(goAway || sent < 2000, "the flood was stopped: sent " + sent);
        // Everyone else is served.
        publish(server, "h2_after_flood", "\"still here\"");
        HttpResponse<String> r =
                h2().send(get(server, "identifier=0:h2_after_flood").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.body().contains("still here"), r.body());
    }

    @Test
    void aConnectionIsAdmittedOnceHoweverManyStreamsItCarries() throws Exception {
        try (RealplexorServer s = start(Map.of("WAIT_MAX_CONN_PER_IP", "2", "H2_MAX_CONCURRENT_STREAMS", "20"));
                RawH2 first = new RawH2(trusting, tls(s));
                RawH2 second = new RawH2(trusting, tls(s))) {
            first.settings();
            for (int i = 0; i < 10; i++) first.get(1 + 2 * i, "/?identifier=h2_adm_" + i);
            first.flush();
            listening(s, "h2_adm_", 10); // ten streams held on one connection: not ten connections
            second.settings();
            second.get(1, "/?identifier=h2_adm_second").flush();
            listening(s, "h2_adm_", 11);
            try (RawH2 third = new RawH2(trusting, tls(s))) {
                third.settings();
                third.get(1, "/?identifier=h2_adm_third").flush();
                StringBuilder data = new StringBuilder();
                for (; ; ) {
                    RawH2.Frame f = third.read();
                    if (f.type() == RawH2.DATA) data.append(f.text());
                    if ((f.type() == RawH2.DATA || f.type() == RawH2.HEADERS) && (f.flags() & RawH2.END_STREAM) != 0)
                        break;
                }
                assertTrue(data.toString().contains("WAIT_MAX_CONN_PER_IP"), data.toString());
            }
        }
    }
}
