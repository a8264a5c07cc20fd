package org.realplexor.net.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;
import org.realplexor.testing.LogCapture;

/** The real server with WAIT_TLS_ADDR and IN_TLS_ADDR, spoken to over real TLS sockets. */
class TlsLinesTest {
    @TempDir
    static Path dir;

    static TestPki pki;
    static RealplexorServer server;
    static Map<String, Object> knobs;
    static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(dir)
                .ca("ca")
                .ca("other")
                .server("ec", "ca", "ec", "traditional", 2, 1001)
                .server("rsa", "ca", "rsa", "traditional", 2, 1002)
                .server("ec8", "ca", "ec", "pkcs8", 2, 1003)
                .server("foreign", "other", "ec", "pkcs8", 2, 1004)
                .server("expired", "ca", "ec", "pkcs8", -1, 1005);
        knobs = new LinkedHashMap<>(Map.of(
                "WAIT_ADDR",
                "127.0.0.1:0",
                "IN_ADDR",
                "127.0.0.1:0",
                "WAIT_TLS_ADDR",
                "127.0.0.1:0",
                "IN_TLS_ADDR",
                "127.0.0.1:0",
                // relative: against the config's folder, as USERS_FILE
                "TLS_CERT_FILE",
                "ec.pem",
                "TLS_KEY_FILE",
                "ec.key"));
        server = RealplexorServer.start(Settings.from(knobs, dir));
        trusting = pki.clientTrusting("ca");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static int waitTls() {
        return server.waitTlsAddresses().get(0).getPort();
    }

    static int inTls() {
        return server.inTlsAddresses().get(0).getPort();
    }

    static SSLSocket connect(SSLContext ctx, int port) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port);
        s.setSoTimeout(10_000);
        var p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        // HTTP/1.1 bytes follow: offer http/1.1 alone (a browser also offers h2, which the line
        // now picks; H2LinesTest speaks that)
        p.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** Reads until the text contains {@code marker} (or EOF); returns what was read. */
    static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!got.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) break;
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** The original PHP API's request: Content-Length, then a half-close (here a TLS close_notify). */
    static String publishTls(String id, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (SSLSocket s = connect(trusting, inTls())) {
            s.getOutputStream()
                    .write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length
                                    + "\r\nX-Realplexor: identifier=" + id + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static SSLSocket poll(String request) throws IOException {
        SSLSocket s = connect(trusting, waitTls());
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void longPollOverTlsGetsAMessagePublishedOverTls() throws Exception {
        try (SSLSocket s = poll("GET /?identifier=tls_lp HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
            assertEquals("http/1.1", s.getApplicationProtocol(), "ALPN");
            assertTrue(readUntil(s.getInputStream(), "\r\n\r\n").startsWith("HTTP/1.1 200 OK"));
            String answer = publishTls("tls_lp", "\"hello\"");
            assertTrue(answer.startsWith("HTTP/1.0 200 OK") && answer.contains("tls_lp "), answer);
            // The answer ends with the connection: a close_notify, so no truncation is reported.
            String body = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("\"data\": \"hello\""), body);
        }
    }

    @Test
    void longPollWithOriginAndJsonp() throws Exception {
        try (SSLSocket s = poll("GET /?identifier=tls_jsonp&callback=cb HTTP/1.1\r\nHost: localhost\r\n"
                + "Origin: https://app.example\r\n\r\n")) {
            String head = readUntil(s.getInputStream(), "\r\n\r\n");
            assertTrue(head.contains("Access-Control-Allow-Origin"), head);
            publishTls("tls_jsonp", "1");
            String rest = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(rest.startsWith("cb(") && rest.contains("\"data\": 1"), rest);
        }
    }

    @Test
    void iframeAndScriptPagesOverTls() throws Exception {
        for (String id : List.of("IFRAME", "SCRIPT")) {
            try (SSLSocket s = poll("GET /?identifier=" + id + " HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
                String page = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(page.startsWith("HTTP/1.1 200 OK") && page.length() > 500, id + ": " + page);
            }
        }
    }

    @Test
    void eventSourceOverTls() throws Exception {
        try (SSLSocket s =
                poll("GET /?identifier=tls_sse HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")) {
            InputStream in = s.getInputStream();
            assertTrue(readUntil(in, "event: cursors").contains("text/event-stream"));
            publishTls("tls_sse", "\"one\"");
            assertTrue(readUntil(in, "one").contains("data: "));
            publishTls("tls_sse", "\"two\"");
            assertTrue(readUntil(in, "two").contains("two"), "the stream stays open over TLS");
        }
    }

    @Test
    void webSocketOverTls() throws Exception {
        try (SSLSocket s = poll(
                "GET /?identifier=tls_ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")) {
            InputStream in = s.getInputStream();
            String head = readUntil(in, "cursors");
            assertTrue(head.startsWith("HTTP/1.1 101") && head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head);
            publishTls("tls_ws", "\"ws over tls\"");
            assertTrue(readUntil(in, "ws over tls").contains("\"ids\""));
            // A masked close from the client: the server answers with its own close frame.
            s.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x80, 1, 2, 3, 4});
            s.getOutputStream().flush();
            byte[] rest = in.readAllBytes();
            assertTrue(rest.length >= 2 && (rest[0] & 0xff) == 0x88, "close frame back");
        }
    }

    @Test
    void publishWithCurlOverTls() throws Exception {
        String out = pki.run(List.of(
                "curl",
                "-sS",
                "--cacert",
                pki.path("ca.pem").toString(),
                "-H",
                "X-Realplexor: identifier=tls_curl",
                "--data-binary",
                "\"c\"",
                "https://localhost:" + inTls() + "/"));
        assertTrue(out.startsWith("tls_curl "), out);
        String waited = pki.run(List.of(
                "curl",
                "-sS",
                "--cacert",
                pki.path("ca.pem").toString(),
                "--max-time",
                "10",
                "https://localhost:" + waitTls() + "/?identifier=0:tls_curl"));
        assertTrue(waited.contains("\"c\""), "curl reads the whole answer and its close_notify: " + waited);
    }

    @Test
    void phpSslStreamWithTcpHalfClose() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/php"))) return;
        // The original's PHP API on port 443: fsockopen("ssl://..."), fwrite, stream_socket_shutdown
        // (a TCP FIN under TLS, no close_notify), then read to the end.
        String php = "$f = fsockopen('ssl://localhost', " + inTls() + ", $en, $es, 5); $b = '\"php\"';"
                + "fwrite($f, \"POST / HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: \" . strlen($b)"
                + " . \"\\r\\nX-Realplexor: identifier=tls_php\\r\\n\\r\\n\" . $b);"
                + "stream_socket_shutdown($f, STREAM_SHUT_WR); $r = ''; while (!feof($f)) { $r .= fread($f, 4096); } echo $r;";
        String out = pki.run(List.of("php", "-d", "openssl.cafile=" + pki.path("ca.pem"), "-r", php));
        assertTrue(out.contains("HTTP/1.0 200 OK") && out.contains("tls_php "), out);
    }

    @Test
    void plainLinesStillServePlainClients() throws Exception {
        try (var s = new java.net.Socket("127.0.0.1", server.inPort())) {
            s.getOutputStream()
                    .write("POST / HTTP/1.1\r\nContent-Length: 1\r\nX-Realplexor: identifier=plain\r\n\r\n1"
                            .getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            assertTrue(new String(s.getInputStream().readAllBytes()).contains("plain "));
        }
    }

    @Test
    void aClientThatVerifiesRefusesAForeignCertificate() throws Exception {
        assertThrows(
                SSLHandshakeException.class,
                () -> connect(pki.clientTrusting("other"), waitTls()).close());
        // A plain HTTP request to a TLS address is no handshake: the connection just ends.
        try (var s = new java.net.Socket("127.0.0.1", waitTls())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /?identifier=x HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] got = s.getInputStream().readAllBytes();
            assertTrue(got.length < 10 || !new String(got).contains("200 OK"));
        } catch (java.net.SocketException reset) {
            // also fine: no answer in plain text
        }
    }

    @Test
    void sessionsAreResumedWithTickets() throws Exception {
        for (String version : List.of("-tls1_3", "-tls1_2")) {
            Path sess = dir.resolve("sess" + version);
            String first = sClient(version, "-sess_out", sess.toString());
            assertTrue(first.contains("New, TLSv1."), first);
            String second = sClient(version, "-sess_in", sess.toString());
            assertTrue(second.contains("Reused, TLSv1."), version + " resumed: " + second);
        }
    }

    private static String sClient(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                "sh",
                "-c",
                "printf 'GET /?identifier=SCRIPT HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' | openssl s_client -connect 127.0.0.1:"
                        + waitTls() + " -CAfile ca.pem -ign_eof " + String.join(" ", args) + " 2>&1"));
        return pki.run(cmd);
    }

    @Test
    void reloadSwapsTheCertificateForNewHandshakesOnly() throws Exception {
        try (SSLSocket old = poll("GET /?identifier=tls_reload HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
            readUntil(old.getInputStream(), "\r\n\r\n");
            assertEquals(1001, serialSeen());
            server.reload(Settings.from(with("TLS_CERT_FILE", "rsa.pem", "TLS_KEY_FILE", "rsa.key"), dir));
            assertEquals(1002, serialSeen(), "a new handshake gets the new certificate");
            // A bad new file: the old certificate stays, the log says why, the reload goes on.
            List<String> logged = LogCapture.lines(
                    TlsContexts.class,
                    () -> server.reload(
                            Settings.from(with("TLS_CERT_FILE", "rsa.pem", "TLS_KEY_FILE", "ec.key"), dir)));
            assertTrue(
                    logged.stream()
                            .anyMatch(l -> l.startsWith("ERROR")
                                    && l.contains("keeping the certificate")
                                    && l.contains("TLS_KEY_FILE")),
                    logged.toString());
            assertEquals(1002, serialSeen());
            // The connection made before the swap still works.
            publishTls("tls_reload", "\"after reload\"");
            String body = new String(old.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("after reload"), body);
            assertEquals(
                    1001,
                    ((X509Certificate) old.getSession().getPeerCertificates()[0])
                            .getSerialNumber()
                            .intValue());
        } finally {
            server.reload(Settings.from(knobs, dir));
        }
    }

    private static Map<String, Object> with(String... pairs) {
        Map<String, Object> m = new LinkedHashMap<>(knobs);
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    private static int serialSeen() throws Exception {
        try (SSLSocket s = connect(trusting, waitTls())) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSerialNumber()
                    .intValue();
        }
    }

    // ------------------------------------------------------------ start errors

    private static String startError(String... pairs) {
        Map<String, Object> m = with(pairs);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            RealplexorServer s = RealplexorServer.start(Settings.from(m, dir));
            s.close();
        });
        return e.getMessage();
    }

    @Test
    void startErrorsNameTheKnobAndTheFile() {
        String missing = startError("TLS_CERT_FILE", "nope.pem");
        assertTrue(
                missing.contains("TLS_CERT_FILE")
                        && missing.contains(dir.resolve("nope.pem").toString())
                        && missing.contains("no such file"),
                missing);
        String empty = startError("TLS_KEY_FILE", "");
        assertTrue(empty.startsWith("TLS_KEY_FILE is empty"), empty);
        String mismatch = startError("TLS_CERT_FILE", "ec.pem", "TLS_KEY_FILE", "rsa.key");
        assertTrue(mismatch.contains("TLS_KEY_FILE") && mismatch.contains("does not match"), mismatch);
        String expired = startError("TLS_CERT_FILE", "expired.pem", "TLS_KEY_FILE", "expired.key");
        assertTrue(expired.contains("TLS_CERT_FILE") && expired.contains("expired on"), expired);
        String notPem = startError("TLS_CERT_FILE", "ec.key");
        assertTrue(notPem.contains("no -----BEGIN CERTIFICATE-----"), notPem);
    }

    @Test
    void everyKeyFormServes() throws Exception {
        for (String name : List.of("rsa", "ec8")) {
            Map<String, Object> m =
                    with("TLS_CERT_FILE", name + ".pem", "TLS_KEY_FILE", name + ".key", "IN_TLS_ADDR", "");
            try (RealplexorServer s = RealplexorServer.start(Settings.from(m, dir))) {
                assertTrue(s.inTlsAddresses().isEmpty());
                InetSocketAddress a = s.waitTlsAddresses().get(0);
                try (SSLSocket c = (SSLSocket) trusting.getSocketFactory().createSocket("localhost", a.getPort())) {
                    c.startHandshake();
                    assertNotEquals(null, c.getSession().getPeerCertificates()[0]);
                }
            }
        }
    }
}
