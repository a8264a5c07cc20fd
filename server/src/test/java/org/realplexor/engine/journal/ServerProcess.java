package org.realplexor.engine.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a process of its own ({@code org.realplexor.Main} with --set knobs) on fixed
 * ports, so that a restarted one is found where its clients left it; with raw-socket IN and
 * WAIT clients as the original PHP API and browsers speak.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern ANSWER_LINE = Pattern.compile("(\\w+) (\\d+(?:\\.\\d+)?)\n");

    final int waitPort;
    final int inPort;
    final Path log;
    private final Process process;

    private ServerProcess(Process process, Path log, int waitPort, int inPort) {
        this.process = process;
        this.log = log;
        this.waitPort = waitPort;
        this.inPort = inPort;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServerProcess start(int waitPort, int inPort, Map<String, String> knobs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "org.realplexor.Main"));
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "WAIT_ADDR",
                "127.0.0.1:" + waitPort,
                "IN_ADDR",
                "127.0.0.1:" + inPort,
                "VERBOSITY",
                "3",
                "IO_THREADS",
                "1",
                "DRAIN_SECONDS",
                "0.2"));
        all.putAll(knobs);
        all.forEach((k, v) -> {
            cmd.add("--set");
            cmd.add(k + "=" + v);
        });
        Path log = Files.createTempFile("realplexor-journal", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerProcess s = new ServerProcess(p, log, waitPort, inPort);
        s.awaitPort(inPort);
        s.awaitPort(waitPort);
        return s;
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, as systemd stops it; returns the exit status. */
    int term() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("server ignored SIGTERM for 30 s:\n" + logText());
        }
        return process.exitValue();
    }

    /** SIGKILL: no goodbye, no snapshot. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) kill();
        Files.deleteIfExists(log);
    }

    private void awaitPort(int port) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new AssertionError("server did not listen on " + port + ":\n" + logText());
                }
                Thread.sleep(50);
            }
        }
    }

    /** Publishes {@code body} to {@code identifier}; the {@code ID CURSOR} lines of a 200, or null for anything else. */
    static Map<String, String> publish(int inPort, String identifier, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + b.length
                + "\r\nX-Realplexor: identifier=" + identifier + "\r\n\r\n";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", inPort), 1000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(b);
            s.shutdownOutput();
            String text = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.0 200") && !text.startsWith("HTTP/1.1 200")) return null;
            Map<String, String> out = new LinkedHashMap<>();
            Matcher m = ANSWER_LINE.matcher(text.substring(text.indexOf("\r\n\r\n") + 4));
            while (m.find()) out.put(m.group(1), m.group(2));
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    /** One long-poll on {@code id} from {@code cursor}: the answer's body, or null when the connection failed. */
    static String poll(int waitPort, String id, String cursor, int timeoutMillis) {
        String req = "GET /?identifier=" + cursor + ":" + id + "&ncrnd=" + System.nanoTime()
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", waitPort), 1000);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            String text = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            int blank = text.indexOf("\r\n\r\n");
            return blank < 0 ? null : text.substring(blank + 4);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
