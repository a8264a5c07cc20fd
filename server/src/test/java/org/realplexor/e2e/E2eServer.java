package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;

/**
 * The real server, in-process, on ephemeral loopback ports, with its own temp folder for the
 * users file and templates, plus client helpers that speak the wire protocol as the
 * original's PHP API and JS client do.
 */
final class E2eServer implements AutoCloseable {
    /** A classic DES crypt(3) hash of "password" (PROTOCOL.md §3). */
    static final String USER_DES_LINE = "user:32qjML0Qsbo8o";

    private static final Pattern ANSWER_LINE = Pattern.compile("(\\w+) (\\d+(?:\\.\\d+)?)\n");
    private static final AtomicLong NCRND = new AtomicLong(1_700_000_000_000L);

    private final RealplexorServer server;
    private final Path dir;
    private final Map<String, Object> knobs;

    private E2eServer(RealplexorServer server, Path dir, Map<String, Object> knobs) {
        this.server = server;
        this.dir = dir;
        this.knobs = knobs;
    }

    /** A server with guests allowed and the given knobs: "OFFLINE_TIMEOUT", "0.3", ... */
    static E2eServer start(String... knobPairs) {
        return builder().knobs(knobPairs).start();
    }

    static Builder builder() {
        return new Builder();
    }

    int waitPort() {
        return server.waitPort();
    }

    int inPort() {
        return server.inPort();
    }

    List<InetSocketAddress> waitAddresses() {
        return server.waitAddresses();
    }

    List<InetSocketAddress> inAddresses() {
        return server.inAddresses();
    }

    /** The file a file knob (USERS_FILE, IFRAME_FILE, SCRIPT_FILE) points at. */
    Path fileOf(String knob) {
        return Path.of((String) knobs.get(knob));
    }

    /** What SIGHUP does: re-read settings (with these knobs changed), users file and templates. */
    void reload(String... knobPairs) {
        for (int i = 0; i < knobPairs.length; i += 2) knobs.put(knobPairs[i], knobPairs[i + 1]);
        try {
            server.reload(Settings.from(knobs, dir));
        } catch (IOException e) {
            throw new UncheckedIOException("reload", e);
        }
    }

    Conn inConn() {
        return Conn.open(inPort());
    }

    Conn waitConn() {
        return Conn.open(waitPort());
    }

    // ---------------------------------------------------------------- IN line

    /** The PHP API's request: POST, Host, byte Content-Length, X-Realplexor, blank line, body. */
    static byte[] phpRequest(String identifierValue, byte[] body) {
        String head = "POST / HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Realplexor: identifier=" + identifierValue + "\r\n"
                + "\r\n";
        return Bytes.concat(Bytes.utf8(head), body);
    }

    /** Sends, half-closes, reads to EOF; a reset instead of a clean close fails (§3: close gracefully). */
    byte[] inExchange(byte[] request) {
        try (Conn c = inConn()) {
            byte[] got = c.send(request).halfClose().readToEof();
            assertFalse(c.wasReset(), "IN connection ended with a TCP reset after: " + Bytes.visible(got));
            return got;
        }
    }

    String publishRaw(String identifierValue, String body) {
        return Bytes.str(inExchange(phpRequest(identifierValue, Bytes.utf8(body))));
    }

    /** Publishes and checks the 200 answer byte for byte; returns its `ID CURSOR` lines in order. */
    Map<String, String> publish(String identifierValue, byte[] body) {
        return parsePublishAnswer(inExchange(phpRequest(identifierValue, body)));
    }

    Map<String, String> publish(String identifierValue, String body) {
        return publish(identifierValue, Bytes.utf8(body));
    }

    /** Publishes to exactly one target and returns the cursor it was stored with. */
    String send(String target, String body) {
        Map<String, String> lines = publish(target, body);
        String item = target.substring(target.lastIndexOf('@') + 1);
        String id = item.substring(item.lastIndexOf(':') + 1);
        assertEquals(List.of(id), new ArrayList<>(lines.keySet()), "publish answer ids for " + target);
        return lines.get(id);
    }

    static Map<String, String> parsePublishAnswer(byte[] got) {
        String text = Bytes.str(got);
        int blank = text.indexOf("\r\n\r\n");
        if (blank < 0) fail("publish answer has no blank line: " + Bytes.visible(got));
        String body = text.substring(blank + 4);
        Bytes.assertBytes(Expect.ok(body), got, "publish answer (status, headers, byte-exact Content-Length)");
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ANSWER_LINE.matcher(body);
        int at = 0;
        while (at < body.length()) {
            assertTrue(
                    m.find(at) && m.start() == at,
                    "publish answer body is not `ID CURSOR\\n` lines: " + Bytes.visible(got));
            assertFalse(out.containsKey(m.group(1)), "id listed twice in publish answer: " + Bytes.visible(got));
            out.put(m.group(1), m.group(2));
            at = m.end();
        }
        return out;
    }

    /** A command as the PHP API sends it (lower case, body after headers, ends with \n). */
    static byte[] commandRequest(String credentials, String commandLine) {
        return phpRequest(credentials == null ? "" : credentials + "@", Bytes.utf8(commandLine + "\n"));
    }

    /** Runs a command as a guest, checks the 200 frame byte for byte, returns the body. */
    String command(String commandLine) {
        return okBody(inExchange(commandRequest(null, commandLine)), commandLine);
    }

    String commandAs(String credentials, String commandLine) {
        return okBody(inExchange(commandRequest(credentials, commandLine)), commandLine);
    }

    static String okBody(byte[] got, String what) {
        String text = Bytes.str(got);
        int blank = text.indexOf("\r\n\r\n");
        if (blank < 0) fail("answer to `" + what + "` has no blank line: " + Bytes.visible(got));
        String body = text.substring(blank + 4);
        Bytes.assertBytes(Expect.ok(body), got, "answer to `" + what + "`");
        return body;
    }

    String online(String... prefixes) {
        return command(prefixes.length == 0 ? "online" : "online " + String.join(" ", prefixes));
    }

    String watch(String args) {
        return command(args.isEmpty() ? "watch" : "watch " + args);
    }

    // ---------------------------------------------------------------- WAIT line

    /** The JS client's GET; waits for the head (which PROTOCOL.md says goes out at once). */
    Poll listen(String identifierList) {
        return listenRaw(jsRequest(identifierList));
    }

    /** The same on one of several WAIT addresses. */
    Poll listenAt(InetSocketAddress address, String identifierList) {
        return listenRaw(Conn.open(address), Bytes.utf8(jsRequest(identifierList)));
    }

    private static String jsRequest(String identifierList) {
        return "GET /?identifier=" + identifierList + "&ncrnd=" + NCRND.incrementAndGet()
                + " HTTP/1.1\r\nHost: 127.0.0.1:8088\r\nAccept: */*\r\n\r\n";
    }

    Poll listenRaw(String request) {
        return listenRaw(waitConn(), Bytes.utf8(request));
    }

    private static Poll listenRaw(Conn c, byte[] request) {
        try {
            c.send(request);
            return expectHead(c);
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    static Poll expectHead(Conn c) {
        byte[] head = c.readExactly(Bytes.utf8(Expect.HEAD_SPACE).length, Duration.ofSeconds(3));
        Bytes.assertBytes(Expect.HEAD_SPACE, head, "WAIT head");
        return new Poll(c);
    }

    /** Connects, sends, and expects the server to close having sent nothing at all. */
    void assertWaitClosesSilently(String request, String why) {
        try (Conn c = waitConn()) {
            byte[] got = c.send(request).readToEof(Duration.ofSeconds(3));
            assertEquals("", Bytes.visible(got), why);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("server close failed", e);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }

    /** Knobs, users file and template files for one server. */
    static final class Builder {
        private final Map<String, Object> knobs = new LinkedHashMap<>();
        private String users = ":\n";
        private final List<Object[]> files = new ArrayList<>();

        Builder knobs(String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) knobs.put(pairs[i], pairs[i + 1]);
            return this;
        }

        Builder users(String content) {
            this.users = content;
            return this;
        }

        /** Writes {@code content} to a temp file with the given mtime and points {@code knob} at it. */
        Builder file(String knob, String content, Instant mtime) {
            files.add(new Object[] {knob, content, mtime});
            return this;
        }

        E2eServer start() {
            Path dir;
            try {
                dir = Files.createTempDirectory("rpl-e2e-");
                Path usersFile = dir.resolve("users.htpasswd");
                Files.writeString(usersFile, users);
                Map<String, Object> all = new LinkedHashMap<>();
                all.put("WAIT_ADDR", "127.0.0.1:0");
                all.put("IN_ADDR", "127.0.0.1:0");
                all.put("USERS_FILE", usersFile.toString());
                int n = 0;
                for (Object[] f : files) {
                    Path p = dir.resolve("template" + (n++) + ".txt");
                    Files.write(p, Bytes.utf8((String) f[1]));
                    Files.setLastModifiedTime(p, FileTime.from((Instant) f[2]));
                    all.put((String) f[0], p.toString());
                }
                all.putAll(knobs);
                RealplexorServer server = RealplexorServer.start(Settings.from(all, dir));
                return new E2eServer(server, dir, all);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("server start failed", e);
            }
        }
    }
}
