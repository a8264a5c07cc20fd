package org.realplexor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A redis-server the bench starts for the cluster scenario: a free loopback port, a temp folder,
 * no persistence (the figures are about the nodes, not about fsync). Extra arguments make it a
 * replica or a Redis Cluster node; {@link #sentinel} starts a Sentinel instead.
 */
final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;
    /** What it is in its set-up: "redis", "master", "replica", "sentinel1", "shard2"... */
    final String label;

    private RedisProcess(Process process, int port, Path dir, String label) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.label = label;
    }

    static RedisProcess start(String binary, double startSeconds) throws IOException, InterruptedException {
        return start(binary, startSeconds, "redis", List.of());
    }

    /** A data-bearing redis-server with {@code extra} arguments (e.g. {@code --replicaof HOST PORT}). */
    static RedisProcess start(String binary, double startSeconds, String label, List<String> extra)
            throws IOException, InterruptedException {
        int port = freePort();
        Path dir = Files.createTempDirectory("realplexor-bench-redis-");
        List<String> cmd = new ArrayList<>(List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no"));
        cmd.addAll(extra);
        return launch(binary, cmd, port, dir, label, startSeconds);
    }

    /**
     * A Sentinel watching {@code master} as {@code name}: quorum 2, down after 1 s (the test
     * suite's set-up; the bench kills nothing, so these only matter for discovery).
     */
    static RedisProcess sentinel(String binary, double startSeconds, String label, RedisProcess master, String name)
            throws IOException, InterruptedException {
        int port = freePort();
        Path dir = Files.createTempDirectory("realplexor-bench-sentinel-");
        Path conf = dir.resolve("sentinel.conf");
        // Sentinel rewrites its config file, so it gets one of its own rather than arguments.
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "daemonize no",
                        "dir " + dir,
                        "sentinel monitor " + name + " 127.0.0.1 " + master.port + " 2",
                        "sentinel down-after-milliseconds " + name + " 1000",
                        "sentinel failover-timeout " + name + " 5000",
                        ""));
        return launch(binary, List.of(binary, conf.toString(), "--sentinel"), port, dir, label, startSeconds);
    }

    private static RedisProcess launch(
            String binary, List<String> cmd, int port, Path dir, String label, double startSeconds)
            throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run " + binary + " (the cluster scenario needs Debian's redis-server, "
                            + "or --redis-server PATH): " + e.getMessage(),
                    e);
        }
        RedisProcess r = new RedisProcess(p, port, dir, label);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        Bench.note(label + " pid " + p.pid() + ": " + String.join(" ", cmd));
        Deadline d = Deadline.in(startSeconds);
        while (!r.answersPing()) {
            if (!p.isAlive() || d.expired()) {
                String log = Files.readString(dir.resolve("redis.log"));
                r.close();
                throw new IOException("redis-server did not come up on port " + port + "; its log:\n" + log);
            }
            Thread.sleep(50);
        }
        return r;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    ProcStats.Sample sample() {
        return ProcStats.read(process.pid());
    }

    private boolean answersPing() {
        try {
            return call("PING").equals("PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** One command over RESP on a fresh connection; the reply as text, arrays one element a line. */
    String call(String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                req.append('$')
                        .append(a.getBytes(StandardCharsets.UTF_8).length)
                        .append("\r\n")
                        .append(a)
                        .append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            StringBuilder reply = new StringBuilder();
            readReply(s.getInputStream(), reply);
            return reply.toString();
        }
    }

    private static void readReply(InputStream in, StringBuilder out) throws IOException {
        String line = readLine(in);
        char kind = line.charAt(0);
        String rest = line.substring(1);
        switch (kind) {
            case '+', ':' -> out.append(rest);
            case '-' -> throw new IOException("redis error: " + rest);
            case '$' -> {
                int n = Integer.parseInt(rest);
                if (n >= 0) {
                    out.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                    in.readNBytes(2);
                }
            }
            case '*' -> {
                int n = Integer.parseInt(rest);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append('\n');
                    }
                    readReply(in, out);
                }
            }
            default -> throw new IOException("unexpected RESP line: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            Bench.note("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
