package org.realplexor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A redis-server the bench starts for the cluster scenario: a free loopback port, a temp folder,
 * no persistence (the figures are about the nodes, not about fsync).
 */
final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static RedisProcess start(String binary, double startSeconds) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("realplexor-bench-redis-");
        List<String> cmd = List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + binary + " (the cluster scenario needs Debian's redis-server, "
                    + "or --redis-server PATH): " + e.getMessage(), e);
        }
        RedisProcess r = new RedisProcess(p, port, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        Bench.note("redis pid " + p.pid() + ": " + String.join(" ", cmd));
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

    long pid() {
        return process.pid();
    }

    ProcStats.Sample sample() {
        return ProcStats.read(process.pid());
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
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
