package org.realplexor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.BuildInfo;

/**
 * The release as an operator installs it: {@code target/realplexor-<version>.tar.gz} unpacked
 * into an empty folder, run through its own {@code bin/realplexor} with the JVM of these tests
 * (JAVA_HOME) and no Maven (a {@code mvn} on the PATH that only records being called). Runs
 * after {@code package} (failsafe), which leaves the tarball.
 */
class ReleaseTarballIT {
    private static final BuildInfo BUILD = BuildInfo.current();
    private static final Path TARBALL =
            Path.of("target", "realplexor-" + BUILD.version() + ".tar.gz").toAbsolutePath();

    @TempDir
    Path dir;

    private Path home;

    @BeforeEach
    void unpack() throws Exception {
        assertTrue(Files.isRegularFile(TARBALL), TARBALL + " is what `mvn package` leaves");
        assertEquals(0, run(List.of("tar", "-xzf", TARBALL.toString(), "-C", dir.toString())), "tar -xzf");
        home = dir.resolve("realplexor-" + BUILD.version());
        for (String f : List.of(
                "bin/realplexor",
                "lib/realplexor-server.jar",
                "conf/realplexor.conf",
                "conf/realplexor.users",
                "systemd/realplexor.service",
                "LICENSE",
                "README.md")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f + " is in the tarball");
        }
        assertTrue(Files.isExecutable(home.resolve("bin/realplexor")));
    }

    @Test
    void versionNamesTheBuild() throws Exception {
        Path out = dir.resolve("version.txt");
        Process p = launcher(List.of("--version"), out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(out));
        assertEquals(BUILD.describe(), Files.readString(out).strip());
        assertFalse(Files.exists(dir.resolve("mvn-was-called")), "the release launcher never runs Maven");
    }

    @Test
    void startsOnTheShippedConfigPublishesAndNamesTheBuildFirst() throws Exception {
        int waitPort = freePort();
        int inPort = freePort();
        long hard = Long.parseLong(shell("ulimit -Hn"));
        Assumptions.assumeTrue(hard > 1024, "hard open-files limit " + hard + ": nothing to raise");
        Path log = dir.resolve("server.log");
        // A soft limit below the hard one, as a login shell often has: the launcher raises it.
        Process p = launcher(
                List.of(
                        "conf/realplexor.conf",
                        "--set",
                        "WAIT_ADDR=127.0.0.1:" + waitPort,
                        "--set",
                        "IN_ADDR=127.0.0.1:" + inPort),
                log,
                "ulimit -Sn 1024");
        try {
            awaitPort(inPort, p);
            awaitPort(waitPort, p);
            assertTrue(awaitLog(log, "WaitAdmission: open files limit " + hard + ": at most"), Files.readString(log));
            String first = Files.readAllLines(log).get(0);
            assertTrue(
                    first.endsWith(
                            " INFO  Main: " + BUILD.describe() + " starting; launcher: open files limit 1024 raised to "
                                    + hard + " (hard limit " + hard + ")"),
                    first);
            assertTrue(
                    Files.readString(log)
                            .contains("users file: " + home.resolve("conf/realplexor.users")
                                    + " (0 logins, guests allowed)"),
                    Files.readString(log));
            assertGuestPublishReachesAListener(waitPort, inPort);
            assertFalse(Files.readString(log).contains(" WARN "), Files.readString(log));
        } finally {
            p.destroy(); // SIGTERM: the launcher execs java, so this reaches the server
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
        }
        assertEquals(0, p.exitValue(), Files.readString(log));
        assertFalse(Files.exists(dir.resolve("mvn-was-called")), "the release launcher never runs Maven");
    }

    /**
     * The unit, with the paths an install to other folders would substitute, passes
     * {@code systemd-analyze verify} without a warning (an unknown key or a bad value is only
     * warned about, so the output must be empty too).
     */
    @Test
    void theSystemdUnitVerifies() throws Exception {
        String unit = Files.readString(home.resolve("systemd/realplexor.service"));
        for (String line : List.of(
                "User=realplexor",
                "ExecStart=/opt/realplexor/bin/realplexor /etc/realplexor/realplexor.conf",
                "ExecReload=/bin/kill -HUP $MAINPID",
                "KillSignal=SIGTERM",
                "LimitNOFILE=1048576",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX")) {
            assertTrue(unit.lines().anyMatch(line::equals), "the unit has " + line);
        }
        int stopSeconds = unit.lines()
                .filter(l -> l.startsWith("TimeoutStopSec="))
                .mapToInt(l -> Integer.parseInt(l.substring("TimeoutStopSec=".length())))
                .findFirst()
                .orElse(0);
        assertTrue(stopSeconds >= 30, "TimeoutStopSec leaves the drain (about 20 s) room: " + stopSeconds);
        boolean analyzer = shellStatus("command -v systemd-analyze") == 0;
        Assumptions.assumeTrue(
                analyzer,
                "SKIPPED: systemd-analyze is not installed (apt-get install systemd); the unit was not verified");
        Path installed = dir.resolve("realplexor.service");
        Files.writeString(
                installed,
                unit.replace("/opt/realplexor", home.toString())
                        .replace("/etc/realplexor", home.resolve("conf").toString()));
        Path out = dir.resolve("verify.txt");
        Process p = new ProcessBuilder("systemd-analyze", "verify", installed.toString())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(out));
        assertEquals("", Files.readString(out).strip(), "systemd-analyze verify warns");
    }

    private Process launcher(List<String> args, Path out, String... before) throws IOException {
        Path stubs = Files.createDirectories(dir.resolve("stub-bin"));
        Path mvn = stubs.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\ntouch '" + dir.resolve("mvn-was-called") + "'\nexit 1\n");
        mvn.toFile().setExecutable(true);
        StringBuilder cmd = new StringBuilder();
        for (String b : before) cmd.append(b).append(" && ");
        cmd.append("exec bin/realplexor");
        for (String a : args) cmd.append(" '").append(a).append("'");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd.toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PATH", stubs + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.keySet().removeIf(k -> k.startsWith("REALPLEXOR_"));
        return pb.start();
    }

    private static int run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static String shell(String cmd) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static int shellStatus(String cmd) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** A guest publish over IN reaches a held poll. */
    private static void assertGuestPublishReachesAListener(int waitPort, int inPort) throws Exception {
        try (Socket poll = new Socket("127.0.0.1", waitPort)) {
            poll.setSoTimeout(10_000);
            poll.getOutputStream()
                    .write("GET /?identifier=release HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
            readUntil(poll.getInputStream(), " \r\n"); // the head goes out at once: registered
            String answer =
                    exchange(inPort, "POST / HTTP/1.1\r\nHost: x\r\nX-Realplexor: identifier=release\r\n\r\n\"hi\"");
            assertTrue(answer.startsWith("HTTP/1.0 200 OK\r\n") && answer.contains("\r\n\r\nrelease "), answer);
            String delivered = new String(poll.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(delivered.contains("\"data\": \"hi\""), delivered);
        }
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
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
}
