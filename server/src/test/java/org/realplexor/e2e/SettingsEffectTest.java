package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.denied;
import static org.realplexor.e2e.Expect.part;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings as the wire sees them: several listen addresses, and reload (SIGHUP) (§6, §7). */
class SettingsEffectTest {

    @Test
    void severalWaitAndInAddressesAllServeOneHub() {
        try (E2eServer s =
                E2eServer.start("WAIT_ADDR", "127.0.0.1:0, 127.0.0.2:0", "IN_ADDR", "127.0.0.1:0,127.0.0.2:0")) {
            List<InetSocketAddress> waits = s.waitAddresses();
            List<InetSocketAddress> ins = s.inAddresses();
            assertEquals(2, waits.size(), "WAIT addresses: " + waits);
            assertEquals(2, ins.size(), "IN addresses: " + ins);
            try (Poll first = s.listenAt(waits.get(0), "multi");
                    Poll second = s.listenAt(waits.get(1), "multi")) {
                Map<String, String> lines;
                try (Conn in = Conn.open(ins.get(1))) {
                    lines = E2eServer.parsePublishAnswer(
                            in.send(E2eServer.phpRequest("multi", Bytes.utf8("\"everywhere\"")))
                                    .halfClose()
                                    .readToEof());
                }
                String expected = answer(part("\"everywhere\"", "multi", lines.get("multi")));
                assertBytes(expected, first.answerBytes(), "listener on the first WAIT address");
                assertBytes(expected, second.answerBytes(), "listener on the second WAIT address");
            }
        }
    }

    @Test
    void reloadRereadsUsersAndTemplatesWithoutDroppingPolls() throws IOException {
        try (E2eServer s = E2eServer.builder()
                        .file("IFRAME_FILE", "old page $JS_WAIT_URI", Instant.parse("2021-03-04T05:06:07Z"))
                        .start();
                Poll held = s.listen("user_keep")) {
            Files.writeString(s.fileOf("USERS_FILE"), E2eServer.USER_DES_LINE + "\n"); // no guest line any more
            Files.writeString(s.fileOf("IFRAME_FILE"), "new page $JS_WAIT_URI");
            s.reload("JS_WAIT_URI", "/changed/");

            assertBytes(
                    denied("access denied for guest user\n"),
                    Bytes.utf8(s.publishRaw("user_keep", "\"guest\"")),
                    "the new users file is in force");
            try (Conn c = s.waitConn()) {
                String page = Bytes.str(
                        c.send("GET /?identifier=IFRAME HTTP/1.1\r\n\r\n").readToEof(Duration.ofSeconds(3)));
                assertTrue(page.endsWith("\r\n\r\nnew page /changed/"), "template and knob re-read: " + page);
            }
            String cursor = s.send("user:password@user_keep", "\"after reload\"");
            assertBytes(
                    answer(part("\"after reload\"", "user_keep", cursor)),
                    held.answerBytes(),
                    "the held poll survived the reload");
        }
    }

    @Test
    void aReloadThatShortensWaitTimeoutAppliesToPollsAlreadyHeld() {
        try (E2eServer s = E2eServer.start("WAIT_TIMEOUT", "60");
                Poll old = s.listen("wt_old")) {
            s.reload("WAIT_TIMEOUT", "1");
            try (Poll fresh = s.listen("wt_new")) {
                long start = System.nanoTime();
                assertBytes("", fresh.answerBytes(), "a new poll times out after the new WAIT_TIMEOUT");
                assertBytes("", old.answerBytes(), "and so does the one held since before the reload");
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 4000, "both ended " + ms + " ms after the reload, not after the old 60 s");
            }
        }
    }

    @Test
    void aReloadSaysWhichChangedKnobsWaitForARestart() throws Exception {
        try (E2eServer s = E2eServer.start()) {
            List<String> warnings = org.realplexor.testing.LogCapture.warnings(
                    org.realplexor.RealplexorServer.class, () -> s.reload("IO_THREADS", "1", "WAIT_TIMEOUT", "20"));
            assertEquals(
                    java.util.List.of("IO_THREADS changed (0 -> 1): it takes effect only on restart"),
                    warnings,
                    "WAIT_TIMEOUT takes effect and is not named");
        }
    }

    /**
     * Every knob the table calls restart-only is named by a reload that changes it, and no other
     * knob is. REDIS_TIMEOUT and REDIS_NODE_TTL used to change nothing and say nothing.
     */
    @Test
    void aReloadNamesEveryRestartOnlyKnobItChangesAndNoOther() throws Exception {
        Map<String, String> changed = new java.util.LinkedHashMap<>();
        changed.put("REDIS_TIMEOUT", "2");
        changed.put("REDIS_NODE_TTL", "3");
        changed.put("REDIS_URL", "redis://127.0.0.1:6390");
        changed.put("REDIS_PREFIX", "other:");
        changed.put("ENGINE", "redis");
        changed.put("WAIT_ADDR", "127.0.0.1:1");
        changed.put("IN_ADDR", "127.0.0.1:2");
        changed.put("ADMIN_ADDR", "127.0.0.1:3");
        changed.put("WAIT_TLS_ADDR", "127.0.0.1:4");
        changed.put("IN_TLS_ADDR", "127.0.0.1:5");
        changed.put("IO_THREADS", "1");
        changed.put("LOG_FORMAT", "json");
        changed.put("ADMIN_USERS", "admin.users");
        changed.put("REDIS_MODE", "sentinel");
        changed.put("REDIS_MASTER_NAME", "other");
        changed.put("REDIS_REPLICA_ACKS", "2");
        changed.put("REDIS_REPLICA_ACK_TIMEOUT", "1");
        changed.put("REDIS_REPLICA_ACK_STRICT", "1");
        changed.put("DATA_DIR", "data");
        changed.put("JOURNAL_FSYNC", "always");
        changed.put("H2_ENABLED", "0");
        assertEquals(
                new java.util.TreeSet<>(org.realplexor.config.Knobs.restartOnly()),
                new java.util.TreeSet<>(changed.keySet()),
                "this test changes every restart-only knob");
        try (E2eServer s = E2eServer.start()) {
            java.util.List<String> pairs = new java.util.ArrayList<>();
            changed.forEach((k, v) -> {
                pairs.add(k);
                pairs.add(v);
            });
            // and reloadable ones, which must not be named
            pairs.addAll(List.of(
                    "SEND_TIMEOUT",
                    "30",
                    "WAIT_TIMEOUT",
                    "20",
                    "DRAIN_SECONDS",
                    "1",
                    "CORS_ORIGINS",
                    "http://a.example"));
            List<String> warnings = org.realplexor.testing.LogCapture.warnings(
                    org.realplexor.RealplexorServer.class, () -> s.reload(pairs.toArray(new String[0])));
            assertEquals(changed.size(), warnings.size(), "one line per restart-only knob: " + warnings);
            for (String knob : org.realplexor.config.Knobs.restartOnly()) {
                String end = " -> " + changed.get(knob) + "): it takes effect only on restart";
                assertTrue(
                        warnings.stream().anyMatch(w -> w.startsWith(knob + " changed (") && w.endsWith(end)),
                        knob + " is named: " + warnings);
            }
        }
    }
}
