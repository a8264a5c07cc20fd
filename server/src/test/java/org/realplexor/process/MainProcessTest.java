package org.realplexor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.process.ServerProcesses.awaitLog;
import static org.realplexor.process.ServerProcesses.awaitPort;
import static org.realplexor.process.ServerProcesses.freePort;
import static org.realplexor.process.ServerProcesses.javaBin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as an operator runs it: a separate process started from a Perl config file,
 * SIGHUP to reload, SIGTERM to stop.
 */
class MainProcessTest {
    private static final String VERSION = org.realplexor.BuildInfo.current().version() + " (commit "
            + org.realplexor.BuildInfo.current().commit() + ")";
    private static final String HEAD = "HTTP/1.1 200 OK\r\nConnection: close\r\n"
            + "Cache-Control: no-store, no-cache, must-revalidate\r\nExpires: Mon, 26 Jul 1997 05:00:00 GMT\r\n"
            + "Content-Type: text/javascript; charset=utf-8\r\n\r\n \r\n";

    @TempDir
    Path dir;

    @Test
    void reloadsOnHupAndStopsCleanlyOnTerm() throws Exception {
        int waitPort = freePort();
        int inPort = freePort();
        Path users = dir.resolve("users.htpasswd");
        Files.writeString(users, ":\n");
        Path conf = dir.resolve("realplexor.conf");
        Files.writeString(
                conf,
                "$CONFIG{WAIT_ADDR} = [ '127.0.0.1:" + waitPort + "' ];\n"
                        + "$CONFIG{IN_ADDR} = [ '127.0.0.1:" + inPort + "' ];\n"
                        + "$CONFIG{USERS_FILE} = 'users.htpasswd';\n"
                        + "$CONFIG{VERBOSITY} = 3;\n"
                        + "return 1;\n");
        Process p = new ProcessBuilder(
                        javaBin(), "-cp", System.getProperty("java.class.path"), "org.realplexor.Main", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        try {
            awaitPort(inPort, p);
            awaitPort(waitPort, p);
            // Each line logs its address just after binding it: the port can answer a moment
            // before the line reaches the log.
            assertTrue(
                    awaitLog(dir.resolve("server.log"), "WAIT line listening on 127.0.0.1:" + waitPort)
                            && awaitLog(dir.resolve("server.log"), "IN line listening on 127.0.0.1:" + inPort),
                    "prints the listen addresses");
            assertTrue(
                    awaitLog(
                            dir.resolve("server.log"),
                            "INFO  Main: realplexor " + VERSION + ": WAIT on 127.0.0.1:" + waitPort
                                    + ", IN on 127.0.0.1:" + inPort + ", admin off, engine local, users file " + users
                                    + " (config " + conf + ")"),
                    "the start line names the version, the addresses as an operator writes"
                            + " them, the engine and the users file, as a log line");
            assertEquals(
                    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    in(inPort, "ONLINE\n"));

            // A poll that is held across the reload.
            Socket held = new Socket("127.0.0.1", waitPort);
            held.getOutputStream()
                    .write("GET /?identifier=held HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(HEAD, readExactly(held.getInputStream(), HEAD.length()));

            // Guests are no longer allowed after the reload; a new user is.
            Files.writeString(users, "alice:$apr1$Vc4dQ0kA$Gk1pNgkV2m2n1C8zRz5wO/\n");
            Files.writeString(
                    conf, Files.readString(conf).replace("return 1;", "$CONFIG{IFRAME_ID} = 'FRAME2';\nreturn 1;"));
            signal(p, "HUP");
            String denied = "";
            for (int i = 0; i < 100 && !denied.contains("403"); i++) {
                Thread.sleep(50);
                denied = in(inPort, "ONLINE\n");
            }
            assertEquals(
                    "HTTP/1.0 403 Access Deined\r\nContent-Type: text/plain\r\nContent-Length: 29\r\nConnection: close\r\n\r\n"
                            + "access denied for guest user\n",
                    denied);
            assertTrue(
                    in(waitPort, "GET /?identifier=FRAME2 HTTP/1.1\r\n\r\n").contains("Origin-Agent-Cluster: ?0"),
                    "templates and knobs re-read");

            // A users file gone missing fails the reload instead of opening the IN line to guests.
            Files.move(users, dir.resolve("users.away"));
            signal(p, "HUP");
            assertTrue(
                    awaitLog(dir.resolve("server.log"), "reload failed, keeping the current settings: USERS_FILE "),
                    "the reload names the missing users file");
            assertEquals(denied, in(inPort, "ONLINE\n"), "guests still denied");

            // The held poll survived the reload and is still registered.
            held.setSoTimeout(200);
            assertTrue(stillOpen(held), "held poll kept across SIGHUP");

            signal(p, "TERM");
            assertTrue(p.waitFor(15, TimeUnit.SECONDS), "exits after SIGTERM");
            assertEquals(0, p.exitValue());
            held.setSoTimeout(5000);
            assertEquals(-1, held.getInputStream().read(), "held poll closed cleanly, nothing after the head");
            held.close();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badConfigNamesFileAndLine() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "$CONFIG{WAIT_TIMEOUT} = 10;\n$CONFIG{IN_ADDR} = system('x');\nreturn 1;\n");
        Process p = new ProcessBuilder(
                        javaBin(), "-cp", System.getProperty("java.class.path"), "org.realplexor.Main", conf.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("bad.conf:2"), out);
    }

    @Test
    void aUsersFileTheConfigNamesThatIsMissingRefusesTheStart() throws Exception {
        Path conf = dir.resolve("dklab_realplexor.conf");
        Files.writeString(
                conf,
                "$CONFIG{WAIT_ADDR} = [ '127.0.0.1:" + freePort() + "' ];\n"
                        + "$CONFIG{IN_ADDR} = [ '127.0.0.1:" + freePort() + "' ];\n"
                        + "$CONFIG{USERS_FILE} = 'logins.htpasswd';\nreturn 1;\n");
        Process p = new ProcessBuilder(
                        javaBin(), "-cp", System.getProperty("java.class.path"), "org.realplexor.Main", conf.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("USERS_FILE " + dir.resolve("logins.htpasswd") + " not found"), out);
    }

    @Test
    void logFormatJsonMakesEveryStderrLineAJsonObject() throws Exception {
        int waitPort = freePort();
        int inPort = freePort();
        int adminPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(
                        javaBin(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.realplexor.Main",
                        "--set",
                        "WAIT_ADDR=127.0.0.1:" + waitPort,
                        "--set",
                        "IN_ADDR=127.0.0.1:" + inPort,
                        "--set",
                        "ADMIN_ADDR=127.0.0.1:" + adminPort,
                        "--set",
                        "USERS_FILE=",
                        "--set",
                        "NOT_A_KNOB=1")
                .redirectError(dir.resolve("err.log").toFile())
                .redirectOutput(dir.resolve("out.log").toFile());
        // From the environment: the format must hold from the first line, the unknown-knob warning.
        pb.environment().put("REALPLEXOR_LOG_FORMAT", "json");
        Process p = pb.start();
        try {
            awaitPort(inPort, p);
            awaitPort(waitPort, p);
            assertTrue(
                    awaitLog(dir.resolve("err.log"), "admin on 127.0.0.1:" + adminPort),
                    Files.readString(dir.resolve("err.log")));
            signal(p, "TERM");
            assertTrue(p.waitFor(15, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        java.util.List<String> lines = Files.readAllLines(dir.resolve("err.log"));
        assertTrue(lines.size() >= 5, lines.toString());
        java.util.List<String> messages = new java.util.ArrayList<>();
        for (String line : lines) {
            io.vertx.core.json.JsonObject o = new io.vertx.core.json.JsonObject(line);
            assertTrue(o.containsKey("level") && o.containsKey("timestamp") && o.containsKey("loggerName"), line);
            messages.add(o.getString("formattedMessage"));
        }
        assertTrue(
                messages.get(0).startsWith("realplexor " + VERSION + " starting"),
                "the first line, json too, names the build: " + messages);
        assertTrue(messages.get(1).contains("NOT_A_KNOB is not a setting"), "then the settings' notes: " + messages);
        assertTrue(
                messages.stream()
                        .anyMatch(m -> m.startsWith("realplexor " + VERSION + ": WAIT on 127.0.0.1:" + waitPort)),
                messages.toString());
        assertEquals("", Files.readString(dir.resolve("out.log")), "nothing on stdout");
    }

    @Test
    void checkConfigListsEveryProblemAndStartsNothing() throws Exception {
        int waitPort = freePort();
        Path conf = dir.resolve("rpl.conf");
        Files.writeString(
                conf,
                "WAIT_ADDR = 127.0.0.1:" + waitPort + "\nWAIT_TIMEOUT = soon\nWAIT_TIMOUT = 5\n"
                        + "USERS_FILE = logins.htpasswd\n");
        ProcessBuilder pb = new ProcessBuilder(
                        javaBin(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.realplexor.Main",
                        "--check-config",
                        conf.toString(),
                        "--set",
                        "IN_ADDR=127.0.0.1:port")
                .redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("error: " + conf + ":2: WAIT_TIMEOUT: expected a number, got 'soon'\n"), out);
        assertTrue(out.contains("warning: " + conf + ":3: WAIT_TIMOUT is not a setting of this server"), out);
        assertTrue(out.contains("error: the command line: IN_ADDR: bad port in '127.0.0.1:port'\n"), out);
        assertTrue(
                out.contains("error: " + conf + ":4: USERS_FILE: " + dir.resolve("logins.htpasswd") + " not found\n"),
                out);
        assertTrue(out.endsWith("config has 3 error(s), 1 warning(s)\n"), out);

        Files.writeString(dir.resolve("logins.htpasswd"), "alice:{SHA}x\n");
        Files.writeString(
                conf, "WAIT_ADDR = 127.0.0.1:" + waitPort + "\nUSERS_FILE = logins.htpasswd\nWAIT_TIMOUT = 5\n");
        p = new ProcessBuilder(
                        javaBin(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.realplexor.Main",
                        "--check-config",
                        conf.toString())
                .redirectErrorStream(true)
                .start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "warnings alone still pass: " + out);
        assertTrue(out.endsWith("config OK (1 warning(s))\n"), out);
        assertTrue(new java.net.ServerSocket(waitPort).isBound(), "the WAIT port was never taken");
    }

    @Test
    void printConfigNamesWhereEachKnobCameFromAndMasksSecrets() throws Exception {
        Path conf = dir.resolve("rpl.conf");
        Files.writeString(conf, "$CONFIG{WAIT_TIMEOUT} = 10;\n$CONFIG{ENGINE} = 'redis';\nreturn 1;\n");
        ProcessBuilder pb = new ProcessBuilder(
                        javaBin(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.realplexor.Main",
                        conf.toString(),
                        "--print-config",
                        "--set",
                        "IN_TIMEOUT=7")
                .redirectErrorStream(true);
        pb.environment().put("REALPLEXOR_REDIS_URL", "redis://:hunter2@127.0.0.1:6379/0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(
                out.matches("(?s).*\nWAIT_TIMEOUT = 10 +# " + java.util.regex.Pattern.quote(conf + ":1") + "\n.*"),
                out);
        assertTrue(out.matches("(?s).*\nIN_TIMEOUT = 7 +# the command line\n.*"), out);
        assertTrue(
                out.matches(
                        "(?s).*\nREDIS_URL = redis://:\\*\\*\\*\\*@127.0.0.1:6379/0 +# the environment: REALPLEXOR_REDIS_URL\n.*"),
                out);
        assertTrue(out.matches("(?s).*\nMAX_DATA_FOR_ID = 30 +# default\n.*"), out);
        assertTrue(!out.contains("hunter2"), out);
    }

    private static void signal(Process p, String sig) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid()))
                        .start()
                        .waitFor());
    }

    /** One request per connection; half-close, read the whole answer. */
    private static String in(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String readExactly(InputStream in, int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            int b = in.read();
            if (b < 0) break;
            out.write(b);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean stillOpen(Socket s) throws IOException {
        try {
            return s.getInputStream().read() != -1;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        }
    }
}
