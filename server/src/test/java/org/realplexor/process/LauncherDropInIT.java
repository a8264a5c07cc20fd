package org.realplexor.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.process.ServerProcesses.awaitLog;
import static org.realplexor.process.ServerProcesses.awaitPort;
import static org.realplexor.process.ServerProcesses.freePort;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrating operator's path, through the launcher an init script runs
 * ({@code server/bin/realplexor CONFIG}) on the packaged jar: a config file alone in a folder,
 * in the original's shapes, with none of the original's files beside it. Runs after
 * {@code package} (failsafe), because the launcher runs the jar the build leaves.
 */
class LauncherDropInIT {
    private static final Path LAUNCHER = Path.of("bin", "realplexor").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void anOverlayConfigWithoutAUsersFileStartsWithGuestsOnly() throws Exception {
        int waitPort = freePort();
        int inPort = freePort();
        Path conf = dir.resolve("dklab_realplexor.conf");
        Files.writeString(
                conf,
                resource("/migration/overlay.conf")
                        .replace("0.0.0.0:80", "127.0.0.1:" + waitPort)
                        .replace("127.0.0.1:10010", "127.0.0.1:" + inPort));
        Process p = start(conf);
        try {
            awaitPort(inPort, p);
            awaitPort(waitPort, p);
            Path log = dir.resolve("server.log");
            assertTrue(
                    awaitLog(
                            log,
                            "users file: none: guests only (" + dir.resolve("dklab_realplexor.htpasswd")
                                    + " is not there; the original's default users file allows guests)"),
                    Files.readString(log));
            assertGuestPublishReachesAListener(waitPort, inPort);
            assertFalse(Files.readString(log).contains("guests may publish from any host"), "IN is on loopback");
            assertFalse(Files.readString(log).contains(" WARN "), Files.readString(log));
        } finally {
            stop(p);
        }
    }

    @Test
    void theOriginalsFullConfigAloneStartsOnBundledPagesAndGuests() throws Exception {
        int waitPort = freePort();
        int inPort = freePort();
        Path conf = dir.resolve("dklab_realplexor.conf");
        Files.writeString(
                conf,
                resource("/migration/full.conf")
                        .replace("0.0.0.0:8088", "127.0.0.1:" + waitPort)
                        .replace("127.0.0.1:10010", "127.0.0.1:" + inPort));
        Process p = start(conf);
        try {
            awaitPort(inPort, p);
            awaitPort(waitPort, p);
            Path log = dir.resolve("server.log");
            assertTrue(
                    awaitLog(
                                    log,
                                    "IFRAME_FILE " + dir.resolve("dklab_realplexor.html")
                                            + ": not found; serving the bundled page")
                            && awaitLog(
                                    log,
                                    "SCRIPT_FILE " + dir.resolve("dklab_realplexor.js")
                                            + ": not found; serving the bundled page")
                            && awaitLog(log, "users file: none: guests only"),
                    Files.readString(log));
            assertFalse(Files.readString(log).contains("misspelt"), Files.readString(log));
            String iframe = exchange(waitPort, "GET /?identifier=IFRAME HTTP/1.1\r\nHost: x\r\n\r\n", false);
            assertTrue(iframe.startsWith("HTTP/1.1 200 OK\r\n") && iframe.contains("Content-Type: text/html"), iframe);
            String script = exchange(waitPort, "GET /?identifier=SCRIPT HTTP/1.1\r\nHost: x\r\n\r\n", false);
            assertTrue(script.startsWith("HTTP/1.1 200 OK\r\n") && script.contains("Dklab_Realplexor"), script);
            assertGuestPublishReachesAListener(waitPort, inPort);
        } finally {
            stop(p);
        }
    }

    @Test
    void guestsOnAnInLineBeyondLoopbackAreWarnedAbout() throws Exception {
        int waitPort = freePort();
        int inPort = freePort();
        Path conf = dir.resolve("dklab_realplexor.conf");
        Files.writeString(
                conf,
                resource("/migration/overlay.conf")
                        .replace("0.0.0.0:80", "127.0.0.1:" + waitPort)
                        .replace("127.0.0.1:10010", "0.0.0.0:" + inPort));
        Process p = start(conf);
        try {
            awaitPort(inPort, p);
            Path log = dir.resolve("server.log");
            assertTrue(
                    awaitLog(
                            log,
                            "WARN  UsersAuthenticator: guests may publish from any host that reaches the IN line on 0.0.0.0:"
                                    + inPort),
                    Files.readString(log));
        } finally {
            stop(p);
        }
    }

    private Process start(Path conf) throws IOException {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is the operator's entry point");
        return new ProcessBuilder(LAUNCHER.toString(), conf.getFileName().toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
    }

    private static void stop(Process p) throws Exception {
        p.destroy(); // SIGTERM: the launcher execs java, so this reaches the server
        if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    /** A guest publish over IN, as the original's PHP API sends it, reaches a held poll. */
    private static void assertGuestPublishReachesAListener(int waitPort, int inPort) throws Exception {
        try (Socket poll = new Socket("127.0.0.1", waitPort)) {
            poll.setSoTimeout(10_000);
            poll.getOutputStream()
                    .write("GET /?identifier=dropin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            readUntil(poll.getInputStream(), " \r\n"); // the head goes out at once: registered
            String answer = exchange(
                    inPort, "POST / HTTP/1.1\r\nHost: x\r\nX-Realplexor: identifier=dropin\r\n\r\n\"hi\"", true);
            assertTrue(answer.startsWith("HTTP/1.0 200 OK\r\n") && answer.contains("\r\n\r\ndropin "), answer);
            String delivered = new String(poll.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(delivered.contains("\"data\": \"hi\""), delivered);
        }
    }

    private static String exchange(int port, String request, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            if (halfClose) s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void readUntil(InputStream in, String end) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) throw new IOException("closed before " + end.strip() + ": " + seen);
            seen.append((char) b);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = LauncherDropInIT.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
