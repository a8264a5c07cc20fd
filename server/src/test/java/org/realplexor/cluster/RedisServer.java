package org.realplexor.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real redis-server (Debian's /usr/bin/redis-server) on a free loopback port with its own temp
 * folder and the append-only file on, so a restart keeps what it had acknowledged. Public: the
 * engine contract suite (engine/EngineContractTest) runs the Redis engine against it too.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> command;
    private Process process;

    private RedisServer(int port, Path dir, List<String> command) {
        this.port = port;
        this.dir = dir;
        this.command = command;
    }

    public static RedisServer start() {
        return start(List.of());
    }

    /** With more redis-server arguments, e.g. {@code --replicaof 127.0.0.1 PORT}. */
    public static RedisServer start(List<String> extra) {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("realplexor-redis");
            List<String> cmd = new ArrayList<>(List.of(
                    "/usr/bin/redis-server",
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    dir.toString(),
                    "--appendonly",
                    "yes",
                    "--save",
                    "",
                    "--daemonize",
                    "no",
                    "--logfile",
                    dir.resolve("redis.log").toString()));
            cmd.addAll(extra);
            RedisServer r = new RedisServer(port, dir, cmd);
            r.startProcess();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Sentinel (redis-server --sentinel, with the config file it insists on writing to)
     * watching {@code master} as {@code name}, quorum 2, down after 1 s: failovers in seconds.
     */
    public static RedisServer sentinel(RedisServer master, String name) {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("realplexor-sentinel");
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(
                    conf,
                    String.join(
                            "\n",
                            "port " + port,
                            "bind 127.0.0.1",
                            "daemonize no",
                            "dir " + dir,
                            "logfile " + dir.resolve("redis.log"),
                            "sentinel monitor " + name + " 127.0.0.1 " + master.port + " 2",
                            "sentinel down-after-milliseconds " + name + " 1000",
                            "sentinel failover-timeout " + name + " 5000",
                            ""));
            RedisServer r = new RedisServer(port, dir, List.of("/usr/bin/redis-server", conf.toString(), "--sentinel"));
            r.startProcess();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** CPU time (user + system) the redis-server process has used so far. */
    long cpuMillis() {
        return Cpu.millisOf(process.pid());
    }

    /** The process id, for signals a test sends itself. */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown, no final save; only what the append-only file already has survives. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the server freezes, its connections open and silent, until {@link #resume}. */
    void freeze() {
        signal("-STOP");
    }

    void resume() {
        signal("-CONT");
    }

    private void signal(String sig) {
        try {
            int rc = new ProcessBuilder("kill", sig, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (rc != 0) throw new IllegalStateException("kill " + sig + " failed: " + rc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts again on the same port and folder (after {@link #kill}). */
    void restart() {
        startProcess();
    }

    /** SIGKILL, then starts again on the same port with its data gone: a store that came back empty. */
    void restartEmpty() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.equals(dir)
                            && !p.getFileName().toString().endsWith(".log")
                            && !p.getFileName().toString().endsWith(".conf"))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startProcess();
    }

    /** One command over RESP; the reply as text (arrays flattened, one element per line). */
    public String call(String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> lines = new ArrayList<>();
            readReply(s.getInputStream(), lines);
            return String.join("\n", lines);
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + String.join(" ", args), e);
        }
    }

    @Override
    public void close() {
        if (process != null) kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder does not fail a test
        }
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting redis-server", e);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                if (call("PING").equals("PONG")) return;
            } catch (UncheckedIOException notYet) {
                if (System.currentTimeMillis() > deadline) throw notYet;
            }
            if (!process.isAlive()) throw new IllegalStateException("redis-server exited, see " + dir);
            sleepBriefly();
        }
    }

    private static void readReply(InputStream in, List<String> out) throws IOException {
        String line = readLine(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', '-', ':' -> out.add(rest);
            case '$' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    out.add("(nil)");
                    return;
                }
                out.add(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                in.readNBytes(2);
            }
            case '*' -> {
                int n = Integer.parseInt(rest);
                for (int i = 0; i < n; i++) readReply(in, out);
            }
            default -> throw new IOException("unexpected RESP line: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) throw new IOException("redis closed the connection");
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
