package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code logon}: credentials on every request and the {@code LOGIN_} scope. */
@ExtendWith(RealServerExtension.class)
class LoginTest {

    private final RealServer server;

    LoginTest(RealServer server) {
        this.server = server;
    }

    @Test
    void loggedOnClientPublishesUnderLoginPrefix() throws Exception {
        Realplexor alice = server.client()
                .namespace("log1_")
                .logon("alice", RealServer.PASSWORD)
                .build();
        assertEquals("alice_log1_", alice.namespace());
        try (WaitListener l = server.listen("alice_log1_Alpha")) {
            SendResult r = alice.send("Alpha", "from alice");
            assertEquals(List.of("Alpha"), List.copyOf(r.cursors().keySet()), "namespace stripped: " + r);
            WaitListener.Part part = l.answer().get(0);
            assertEquals(Map.of("alice_log1_Alpha", r.cursors().get("Alpha")), part.ids());
            assertEquals("from alice", part.data().asText());
        }
    }

    @Test
    void md5CryptPasswordsWorkToo() throws Exception {
        Realplexor bob = server.client().logon("bob", RealServer.PASSWORD).build();
        assertEquals("bob_", bob.namespace());
        try (WaitListener l = server.listen("bob_Alpha")) {
            SendResult r = bob.send(List.of("Alpha"), 1);
            assertEquals(
                    Map.of("bob_Alpha", r.cursors().get("Alpha")),
                    l.answer().get(0).ids());
        }
    }

    @Test
    void serverSkipsTargetsOutsideTheLoginScope() throws Exception {
        // The client always prefixes LOGIN_, so this shows by hand what the prefix is for.
        String answer = rawIn("POST / HTTP/1.1\r\nContent-Length: 2\r\n" + "X-Realplexor: identifier=alice:"
                + RealServer.PASSWORD + "@alice_log2_In,log2_Out\r\n\r\n{}");
        assertTrue(answer.startsWith("HTTP/1.0 200 OK\r\n"), answer);
        assertTrue(answer.contains("\r\n\r\nalice_log2_In "), answer);
        assertTrue(!answer.contains("log2_Out"), "the target outside alice_ was skipped: " + answer);
    }

    @Test
    void onlineAndWatchSeeOnlyTheLoginScope() throws Exception {
        Realplexor alice = server.client()
                .namespace("log3_")
                .logon("alice", RealServer.PASSWORD)
                .build();
        Realplexor guest = server.client().namespace("log3_").build();
        long from = alice.watch(0).get(0).resumeFrom();
        try (WaitListener mine = server.listen("alice_log3_Alpha");
                WaitListener notMine = server.listen("log3_Alpha,log3_Beta")) {
            assertEquals(Map.of("Alpha", 1), alice.onlineWithCounters());
            assertEquals(List.of("Alpha", "Beta"), guest.online());
            List<WatchEvent> events = alice.watch(from);
            assertEquals(1, events.size(), events.toString());
            assertEquals("Alpha", events.get(0).id());
            assertTrue(events.get(0).isOnline());
        }
    }

    @Test
    void wrongPasswordFailsWith403AndTheServersWords() {
        Realplexor wrong = server.client().logon("alice", "wrong").build();
        RealplexorException e = assertThrows(RealplexorException.class, () -> wrong.send("Alpha", 1));
        assertEquals(403, e.statusCode());
        assertTrue(e.getMessage().contains("HTTP/1.0 403 Access Deined"), e.getMessage());
        assertTrue(e.getMessage().contains("invalid password for login: alice"), e.getMessage());
        assertEquals("invalid password for login: alice\n", e.responseBody());

        RealplexorException onCommand = assertThrows(RealplexorException.class, wrong::online);
        assertEquals(403, onCommand.statusCode(), onCommand.getMessage());
    }

    @Test
    void unknownLoginFailsWith403() {
        Realplexor mallory = server.client().logon("mallory", "x").build();
        RealplexorException e = assertThrows(RealplexorException.class, () -> mallory.send("Alpha", 1));
        assertEquals(403, e.statusCode());
        assertTrue(e.getMessage().contains("unknown login: mallory"), e.getMessage());
    }

    private String rawIn(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.inPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
