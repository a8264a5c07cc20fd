package org.realplexor.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node in its own JVM ({@code org.realplexor.Main} with --set knobs), for what only a process
 * can do: die abruptly, without saying goodbye to Redis.
 */
final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    final int waitPort;
    final int inPort;

    private NodeProcess(Process process, Path log, int waitPort, int inPort) {
        this.process = process;
        this.log = log;
        this.waitPort = waitPort;
        this.inPort = inPort;
    }

    static NodeProcess start(Map<String, Object> knobs) {
        int waitPort = RedisServer.freePort();
        int inPort = RedisServer.freePort();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.realplexor.Main"));
        knobs.forEach((k, v) -> {
            cmd.add("--set");
            cmd.add(k + "=" + v);
        });
        for (String s : List.of("WAIT_ADDR=127.0.0.1:" + waitPort, "IN_ADDR=127.0.0.1:" + inPort, "VERBOSITY=1")) {
            cmd.add("--set");
            cmd.add(s);
        }
        try {
            Path log = Files.createTempFile("realplexor-node", ".log");
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            NodeProcess n = new NodeProcess(p, log, waitPort, inPort);
            n.awaitListening();
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("starting a node process", e);
        }
    }

    /** CPU time (user + system) the node's JVM has used so far. */
    long cpuMillis() {
        return Cpu.millisOf(process.pid());
    }

    /** SIGKILL: the node vanishes with its listeners, no goodbye to Redis. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the node freezes (its sockets stay open, nothing is read) until {@link #resume}. */
    void freeze() {
        signal("-STOP");
    }

    /** SIGCONT after {@link #freeze}. */
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

    /** The node's log so far, for a failure message. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a leftover log does not fail a test
        }
    }

    /** Both lines: the server binds IN first and WAIT a moment later. */
    private void awaitListening() throws IOException {
        awaitPort("IN", inPort);
        awaitPort("WAIT", waitPort);
    }

    private void awaitPort(String line, int port) throws IOException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "node process did not listen on " + line + " " + port + ":\n" + Files.readString(log));
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
