package org.realplexor.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real server, started from its jar as a separate process on free loopback ports, with a
 * users file allowing guests and two users whose password is {@link #PASSWORD}, and an IN line
 * over TLS too (IN_TLS_ADDR) whose certificate, from this run's CA {@code ca.pem}, names only
 * the address {@code 127.0.0.1}; {@code other-ca.pem} is a CA that issued nothing it serves.
 */
final class RealServer implements AutoCloseable {

    static final String PASSWORD = "s3cret";
    /** Hashes of {@link #PASSWORD} made ahead of time: {@code openssl passwd -apr1} and {@code -1}. */
    static final String USERS =
            ":\n" + "alice:$apr1$ZSJUAVj7$CfBry.G.r2XhWx3fJileT.\n" + "bob:$1$RUe.AtFe$QdMWB.d5Ajqz1Xa63UM7v0\n";
    /** Signed subscriptions: WAIT requests for ids starting with {@link #SIGNED_PREFIX} need a token. */
    static final String SUBSCRIBE_SECRET = "sdk-java-subscribe-secret";

    static final String SIGNED_PREFIX = "sig_";
    /** Short, so that offline events are quick to observe. */
    static final String OFFLINE_TIMEOUT = "0.5";

    private static final long START_TIMEOUT_MS = 60_000;

    private final Process process;
    private final Path log;
    private final int inPort;
    private final int waitPort;
    private final int inTlsPort;
    private final TestCerts certs;

    private RealServer(Process process, Path log, int inPort, int waitPort, int inTlsPort, TestCerts certs) {
        this.process = process;
        this.log = log;
        this.inPort = inPort;
        this.waitPort = waitPort;
        this.inTlsPort = inTlsPort;
        this.certs = certs;
    }

    static RealServer start(Path dir) throws IOException, InterruptedException {
        Path jar = jar();
        Path users = dir.resolve("users.htpasswd");
        Files.writeString(users, USERS, StandardCharsets.UTF_8);
        TestCerts certs = new TestCerts(dir).ca("ca").ca("other-ca").server("server", "ca", "IP:127.0.0.1");
        IOException last = null;
        // A free port found by binding port 0 can be taken by someone else before the server
        // binds it; then the server exits and another pair is tried.
        for (int attempt = 0; attempt < 3; attempt++) {
            int in = freePort();
            int wait = freePort();
            int inTls = freePort();
            int admin = freePort();
            Path log = dir.resolve("server-" + attempt + ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    jar.toString(),
                    "--set",
                    "IN_ADDR=127.0.0.1:" + in,
                    "--set",
                    "WAIT_ADDR=127.0.0.1:" + wait,
                    "--set",
                    "IN_TLS_ADDR=127.0.0.1:" + inTls,
                    "--set",
                    "TLS_CERT_FILE=" + certs.path("server.pem"),
                    "--set",
                    "TLS_KEY_FILE=" + certs.path("server.key"),
                    "--set",
                    "USERS_FILE=" + users,
                    "--set",
                    "OFFLINE_TIMEOUT=" + OFFLINE_TIMEOUT,
                    "--set",
                    "MAX_DATA_FOR_ID=100",
                    "--set",
                    "WAIT_TIMEOUT=30",
                    "--set",
                    "SUBSCRIBE_SECRET=" + SUBSCRIBE_SECRET,
                    "--set",
                    "SIGNED_PREFIXES=" + SIGNED_PREFIX,
                    "--set",
                    "ADMIN_ADDR=127.0.0.1:" + admin));
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            RealServer server = new RealServer(p, log, in, wait, inTls, certs);
            server.adminPort = admin;
            try {
                server.awaitListening();
                return server;
            } catch (IOException e) {
                server.close();
                last = e;
            }
        }
        throw last;
    }

    private static Path jar() {
        String configured = System.getProperty("realplexor.server.jar", "../server/target/realplexor-server.jar");
        Path jar = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "server jar not found at " + jar + ": build the server module first (mvn package in the reactor)");
        }
        return jar;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        for (int port : new int[] {inPort, waitPort, inTlsPort}) {
            while (!accepts(port)) {
                if (!process.isAlive()) {
                    throw new IOException("server exited with " + process.exitValue() + ":\n" + log());
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(
                            "server did not listen on " + port + " within " + START_TIMEOUT_MS + " ms:\n" + log());
                }
                Thread.sleep(50); // polling interval of a condition we cannot be notified of
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int inPort() {
        return inPort;
    }

    /** The IN line over TLS. */
    int inTlsPort() {
        return inTlsPort;
    }

    /** A file of this run's PKI: {@code ca.pem}, {@code other-ca.pem}. */
    Path certFile(String name) {
        return certs.path(name);
    }

    int waitPort() {
        return waitPort;
    }

    private int adminPort;

    /** The IN connections the server has accepted so far, from its admin /metrics. */
    long inConnectionsAccepted() throws IOException, InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                .build();
        String text = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(?m)^realplexor_connections_accepted_total\\{line=\"in\"[^}]*\\} (\\S+)$")
                .matcher(text);
        if (!m.find()) throw new IOException("no accepted IN connections in /metrics:\n" + text);
        return (long) Double.parseDouble(m.group(1));
    }

    /** A client builder aimed at this server's IN line. */
    Realplexor.Builder client() {
        return Realplexor.builder().host("127.0.0.1").port(inPort);
    }

    /** A listener registered on the WAIT line (its head already received). */
    WaitListener listen(String identifierList) throws IOException {
        return WaitListener.open(waitPort, identifierList);
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
