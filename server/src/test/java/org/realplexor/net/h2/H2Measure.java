package org.realplexor.net.h2;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.net.tls.TestPki;

/**
 * Figures, not a test: run by hand (no timing targets in unit tests, see CONTRIBUTING).
 * The server jar as its own process (the bench's JVM flags), then
 * (1) memory per held poll: N polls held as h2 streams, 100 per connection, against N polls
 * held as HTTP/1.1 over TLS, each on a fresh server: RSS and live heap growth per poll;
 * (2) what a rapid-reset flood costs: server CPU per HEADERS+RST_STREAM pair (reconnecting
 * whenever the server ends a connection) against per HTTP/1.1 TLS open, request, close.
 *
 * <pre>mvn -B -ntp -q -pl server test -Dtest=H2Measure -Dh2.measure=5000</pre>
 */
@EnabledIfSystemProperty(named = "h2.measure", matches = "\\d+")
class H2Measure {
    @TempDir
    Path dir;

    record Server(Process p, long pid, int tls, int in) {}

    Server start(TestPki pki) throws Exception {
        int[] ports = freePorts(3);
        Path jar = Path.of(System.getProperty("user.dir")).resolve("target/realplexor-server.jar");
        Files.writeString(dir.resolve("users"), ":\n");
        List<String> cmd =
                new ArrayList<>(List.of("java", "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        for (String kv : List.of(
                "WAIT_ADDR=127.0.0.1:" + ports[0],
                "IN_ADDR=127.0.0.1:" + ports[1],
                "WAIT_TLS_ADDR=127.0.0.1:" + ports[2],
                "TLS_CERT_FILE=" + pki.path("ec.pem"),
                "TLS_KEY_FILE=" + pki.path("ec.key"),
                "USERS_FILE=" + dir.resolve("users"),
                "VERBOSITY=1")) {
            cmd.add("--set");
            cmd.add(kv);
        }
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            try (Socket s = new Socket("127.0.0.1", ports[2])) {
                return new Server(p, p.pid(), ports[2], ports[1]);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server did not start: " + Files.readString(dir.resolve("server.log")));
    }

    static int[] freePorts(int n) throws IOException {
        int[] out = new int[n];
        List<java.net.ServerSocket> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            java.net.ServerSocket s = new java.net.ServerSocket(0);
            open.add(s);
            out[i] = s.getLocalPort();
        }
        for (java.net.ServerSocket s : open) s.close();
        return out;
    }

    static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
        }
        return -1;
    }

    /** Live heap after a full GC (jcmd GC.class_histogram), bytes. */
    static long liveHeap(long pid) throws Exception {
        Process j = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true)
                .start();
        String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        j.waitFor();
        for (String l : out.split("\n")) {
            if (l.trim().startsWith("Total")) return Long.parseLong(l.trim().split("\\s+")[2]);
        }
        return -1;
    }

    /** utime + stime of the process, in clock ticks (1/100 s). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Opens h2 connections with up to 100 streams each until {@code n} polls are held (their HEADERS seen). */
    static List<RawH2> holdH2(SSLContext ctx, int port, int n, String tag) throws Exception {
        List<RawH2> conns = new ArrayList<>();
        for (int done = 0; done < n; ) {
            RawH2 c = new RawH2(ctx, port);
            c.settings();
            int k = Math.min(100, n - done);
            for (int i = 0; i < k; i++) c.get(1 + 2 * i, "/?identifier=" + tag + "_" + (done + i));
            c.flush();
            for (int heads = 0; heads < k; ) {
                RawH2.Frame f = c.read();
                if (f.type() == RawH2.HEADERS) heads++;
                if (f.type() == RawH2.RST_STREAM || f.type() == RawH2.GOAWAY)
                    throw new IllegalStateException("refused: " + f);
            }
            conns.add(c);
            done += k;
        }
        return conns;
    }

    static SSLSocket tls11(SSLContext ctx, int port) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port);
        s.setSoTimeout(20_000);
        var p = s.getSSLParameters();
        p.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(p);
        return s;
    }

    static List<SSLSocket> holdH1(SSLContext ctx, int port, int n, String tag) throws Exception {
        List<SSLSocket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SSLSocket s = tls11(ctx, port);
            s.getOutputStream()
                    .write(("GET /?identifier=" + tag + "_" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            byte[] buf = new byte[4096];
            StringBuilder got = new StringBuilder();
            while (!got.toString().contains("\r\n\r\n"))
                got.append(new String(buf, 0, s.getInputStream().read(buf), StandardCharsets.ISO_8859_1));
            out.add(s);
        }
        return out;
    }

    @Test
    void figures() throws Exception {
        int n = Integer.getInteger("h2.measure");
        TestPki pki = new TestPki(dir).ca("ca").server("ec", "ca", "ec", "pkcs8", 2, 3001);
        SSLContext ctx = pki.clientTrusting("ca");
        for (String mode : List.of("h1", "h2", "h1", "h2")) {
            Server s = start(pki);
            try {
                // warm-up: the same number of polls held and let go, so that pools and compiled code are there
                if (mode.equals("h2")) holdH2(ctx, s.tls, n, "warm").forEach(H2Measure::quietly);
                else holdH1(ctx, s.tls, n, "warm").forEach(H2Measure::quietly);
                Thread.sleep(2000);
                long heap0 = liveHeap(s.pid);
                long rss0 = rssKb(s.pid);
                List<? extends AutoCloseable> held =
                        mode.equals("h2") ? holdH2(ctx, s.tls, n, "idle") : holdH1(ctx, s.tls, n, "idle");
                Thread.sleep(1000);
                long rss1 = rssKb(s.pid);
                long heap1 = liveHeap(s.pid);
                System.out.printf(
                        "MEASURE idle %s polls=%d rss_per_poll_kb=%.2f heap_live_per_poll_kb=%.2f%n",
                        mode, n, (rss1 - rss0) / (double) n, (heap1 - heap0) / 1024.0 / n);
                held.forEach(H2Measure::quietly);
                Thread.sleep(1000);
                // what a flood of requests that end at once costs, per request
                int k = 20_000;
                long cpu0 = cpuTicks(s.pid);
                long t0 = System.nanoTime();
                int conns = mode.equals("h2") ? resetFlood(ctx, s.tls, k) : openClose(ctx, s.tls, k);
                long cpu1 = cpuTicks(s.pid);
                System.out.printf(
                        "MEASURE flood %s requests=%d connections=%d server_cpu_us_per_request=%.1f wall_s=%.1f%n",
                        mode, k, conns, (cpu1 - cpu0) * 10_000.0 / k, (System.nanoTime() - t0) / 1e9);
            } finally {
                s.p.destroy();
                s.p.waitFor();
            }
        }
    }

    /** HEADERS + RST_STREAM pairs until {@code k} are sent; a connection the server ends is replaced. Returns connections used. */
    static int resetFlood(SSLContext ctx, int port, int k) throws Exception {
        int conns = 0;
        for (int sent = 0; sent < k; ) {
            conns++;
            try (RawH2 c = new RawH2(ctx, port)) {
                c.settings();
                try {
                    for (int stream = 1; sent < k && stream < 2_000_000; stream += 2, sent++) {
                        c.get(stream, "/?identifier=flood_" + (sent % 1000)).reset(stream, RawH2.CANCEL);
                        if (stream % 64 == 1) c.flush();
                    }
                    c.flush();
                    while (c.read().type() != RawH2.GOAWAY) {}
                } catch (IOException ended) {
                    // the server ended this connection (GOAWAY ENHANCE_YOUR_CALM): a new one
                }
            }
        }
        return conns;
    }

    /** HTTP/1.1 over TLS: connect (resuming the session), a poll on an id with a backlog... here a poll then close. */
    static int openClose(SSLContext ctx, int port, int k) throws Exception {
        for (int i = 0; i < k; i++) {
            try (SSLSocket s = tls11(ctx, port)) {
                s.getOutputStream()
                        .write(("GET /?identifier=flood_" + (i % 1000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
        }
        return k;
    }

    static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // going anyway
        }
    }
}
