package org.realplexor.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Realplexor being measured: either a child process the bench starts on free loopback ports
 * (and stops again), or an already running server given by its addresses and, for CPU and
 * memory figures, its pid.
 */
final class ServerUnderTest implements AutoCloseable {
    final InetSocketAddress wait;
    final InetSocketAddress in;
    /** 0 when unknown: CPU and RSS figures are then printed as n/a. */
    final long pid;

    private final Process process;
    private final Path log;

    private ServerUnderTest(InetSocketAddress wait, InetSocketAddress in, long pid, Process process, Path log) {
        this.wait = wait;
        this.in = in;
        this.pid = pid;
        this.process = process;
        this.log = log;
    }

    static ServerUnderTest external(InetSocketAddress wait, InetSocketAddress in, long pid) {
        return new ServerUnderTest(wait, in, pid, null, null);
    }

    /** The command line used to start the server (ports filled in by {@link #start}). */
    static List<String> command(
            String java, Path jar, List<String> jvmFlags, List<String> sets, int waitPort, int inPort) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("--set");
        cmd.add("WAIT_ADDR=127.0.0.1:" + waitPort);
        cmd.add("--set");
        cmd.add("IN_ADDR=127.0.0.1:" + inPort);
        cmd.add("--set");
        cmd.add("VERBOSITY=1");
        for (String s : sets) {
            cmd.add("--set");
            cmd.add(s);
        }
        return cmd;
    }

    /**
     * Starts the server on free loopback ports. With {@code tls} (else null) it also serves
     * WAIT_TLS_ADDR and IN_TLS_ADDR with those files, and the addresses the scenarios connect to
     * are the TLS ones.
     */
    static ServerUnderTest start(
            String java, Path jar, List<String> jvmFlags, List<String> sets, TlsFiles tls, double startSeconds)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("server jar not found: " + jar + " (build the server, or pass --jar)");
        }
        int waitPort = freePort();
        int inPort = freePort();
        List<String> allSets = sets;
        int waitTarget = waitPort;
        int inTarget = inPort;
        if (tls != null) {
            waitTarget = freePort();
            inTarget = freePort();
            allSets = new ArrayList<>(sets);
            allSets.add("WAIT_TLS_ADDR=127.0.0.1:" + waitTarget);
            allSets.add("IN_TLS_ADDR=127.0.0.1:" + inTarget);
            allSets.add("TLS_CERT_FILE=" + tls.cert);
            allSets.add("TLS_KEY_FILE=" + tls.key);
        }
        List<String> cmd = command(java, jar, jvmFlags, allSets, waitPort, inPort);
        Path log = Files.createTempFile("realplexor-bench-server-", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerUnderTest s = new ServerUnderTest(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), waitTarget),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), inTarget),
                p.pid(),
                p,
                log);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        Bench.note("server pid " + p.pid() + ": " + String.join(" ", cmd) + " (log " + log + ")");
        Deadline d = Deadline.in(startSeconds);
        while (!(accepts(s.in) && accepts(s.wait))) {
            if (!p.isAlive()) {
                throw new IOException(
                        "server exited with " + p.exitValue() + " before listening; log:\n" + s.logTail());
            }
            if (d.expired()) {
                s.close();
                throw new IOException("server did not listen within " + startSeconds + " s; log:\n" + s.logTail());
            }
            Thread.sleep(50);
        }
        return s;
    }

    boolean managed() {
        return process != null;
    }

    ProcStats.Sample sample() {
        return pid > 0 ? ProcStats.read(pid) : null;
    }

    String logTail() {
        if (log == null) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: no drain, no goodbye (the restart scenario's crash). */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM (the server closes its polls and exits 0), then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            Bench.note("server " + pid + " ignored SIGTERM for 60 s; killing it");
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            Bench.note("cannot delete " + log + ": " + e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
