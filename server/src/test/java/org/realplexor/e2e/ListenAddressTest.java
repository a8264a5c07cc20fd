package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;

/**
 * Each event loop has a listening socket of its own on the same port (SO_REUSEPORT): a second
 * server on a taken port must still be refused, and connections spread over the sockets must
 * all be served.
 */
class ListenAddressTest {

    @Test
    void aSecondServerOnATakenPortIsRefusedAndTheFirstKeepsServing() throws Exception {
        try (E2eServer s = E2eServer.start()) {
            Path dir = Files.createTempDirectory("rpl-listen-");
            for (String taken : List.of("WAIT_ADDR", "IN_ADDR")) {
                int port = taken.equals("WAIT_ADDR") ? s.waitPort() : s.inPort();
                Map<String, Object> knobs =
                        new java.util.HashMap<>(Map.of("WAIT_ADDR", "127.0.0.1:0", "IN_ADDR", "127.0.0.1:0"));
                knobs.put(taken, "127.0.0.1:" + port);
                IllegalStateException e = assertThrows(
                        IllegalStateException.class,
                        () -> RealplexorServer.start(Settings.from(knobs, dir)).close());
                assertEquals(
                        "cannot listen on " + taken + " 127.0.0.1:" + port + ": address already in use",
                        e.getMessage());
            }
            try (Poll p = s.listen("still")) {
                String c = s.send("still", "1");
                assertBytes(answer(part("1", "still", c)), p.answerBytes(), "the first server still delivers");
            }
        }
    }

    @Test
    void aRestartOnThePortsOfAServerThatJustAnsweredPollsWorks() throws Exception {
        int waitPort;
        int inPort;
        try (java.net.ServerSocket a = new java.net.ServerSocket(0);
                java.net.ServerSocket b = new java.net.ServerSocket(0)) {
            waitPort = a.getLocalPort();
            inPort = b.getLocalPort();
        }
        for (int run = 0; run < 2; run++) {
            // The server closes answered polls first, so their ends stay in TIME_WAIT on its port.
            try (E2eServer s =
                    E2eServer.start("WAIT_ADDR", "127.0.0.1:" + waitPort, "IN_ADDR", "127.0.0.1:" + inPort)) {
                try (Poll p = s.listen("again")) {
                    String c = s.send("again", "" + run);
                    assertBytes(answer(part("" + run, "again", c)), p.answerBytes(), "run " + run);
                }
            }
        }
    }

    @Test
    void manyConnectionsAtOnceAreAllServed() {
        try (E2eServer s = E2eServer.start()) {
            List<Poll> polls = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) polls.add(s.listen("spread"));
                Await.until("64 polls registered", () -> s.online(), o -> o.equals("spread 64\n"));
                String c = s.send("spread", "2");
                for (Poll p : polls)
                    assertBytes(answer(part("2", "spread", c)), p.answerBytes(), "every poll answered");
            } finally {
                polls.forEach(Poll::close);
            }
        }
    }

    @Test
    void theIpv4WildcardListensOnIpv4Only() throws Exception {
        boolean ipv6Loopback;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("::1"))) {
            ipv6Loopback = true;
        } catch (java.io.IOException e) {
            ipv6Loopback = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(ipv6Loopback, "this machine has no IPv6 loopback");
        try (E2eServer s = E2eServer.start("WAIT_ADDR", "0.0.0.0:0")) {
            try (Poll p = s.listen("v4")) {
                String c = s.send("v4", "4");
                assertBytes(answer(part("4", "v4", c)), p.answerBytes(), "IPv4 clients are served");
            }
            assertThrows(
                    java.net.ConnectException.class,
                    () -> {
                        try (java.net.Socket v6 = new java.net.Socket("::1", s.waitPort())) {
                            v6.getInputStream();
                        }
                    },
                    "0.0.0.0 is IPv4 only: an IPv6 connection is refused");
        }
    }
}
