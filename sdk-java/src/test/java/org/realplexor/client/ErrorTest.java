package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every failure is a {@link RealplexorException} that says what happened. The server's own
 * refusals (403) are in {@link LoginTest}; here are the ones it cannot produce on demand.
 */
class ErrorTest {

    @Test
    void serverDownIsAConnectError() throws Exception {
        int port = RealServer.freePort(); // bound and released: nobody listens there
        Realplexor rpl = Realplexor.builder().port(port).build();
        RealplexorException e = assertThrows(RealplexorException.class, () -> rpl.send("Alpha", 1));
        assertTrue(
                e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": Connection refused"),
                e.getMessage());
        assertEquals(-1, e.statusCode());
    }

    @Test
    void asyncFailureCarriesTheSameException() throws Exception {
        Realplexor rpl = Realplexor.builder().port(RealServer.freePort()).build();
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> rpl.sendAsync(List.of("Alpha"), 1).get(10, TimeUnit.SECONDS));
        assertInstanceOf(RealplexorException.class, e.getCause());
        assertTrue(
                e.getCause().getMessage().contains("Connection refused"),
                e.getCause().getMessage());
    }

    @Test
    void invalidIdsAreNamedAndNothingIsSent() throws Exception {
        try (FakePeer peer = FakePeer.originalStyle()) {
            Realplexor rpl =
                    Realplexor.builder().port(peer.port()).namespace("err1_").build();
            for (String bad : new String[] {"a-b", "", "a b", "Привет", "a,b", "x:y"}) {
                RealplexorException e =
                        assertThrows(RealplexorException.class, () -> rpl.send(List.of("ok", bad), 1), bad);
                assertTrue(e.getMessage().startsWith("invalid id \"" + bad + "\""), e.getMessage());
            }
            RealplexorException limiter =
                    assertThrows(RealplexorException.class, () -> rpl.send(List.of("ok"), 1, List.of("u-1")));
            assertTrue(limiter.getMessage().startsWith("invalid id \"u-1\""), limiter.getMessage());
            assertThrows(RealplexorException.class, () -> rpl.send(Arrays.asList("ok", null), 1));

            rpl.send("ok", 1);
            String first = new String(peer.nextRequest(), StandardCharsets.UTF_8);
            assertTrue(first.contains("identifier=err1_ok\r\n"), "the first request is the valid one: " + first);
        }
    }

    @Test
    void invalidCursorsAreNamed() {
        Realplexor rpl = Realplexor.builder().build();
        for (Object bad : new Object[] {"1e5", "-1", "12.", ".5", "1,5", " 1", "", -1L, Double.NaN, new Object()}) {
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("Alpha", bad);
            RealplexorException e =
                    assertThrows(RealplexorException.class, () -> rpl.send(target, 1), String.valueOf(bad));
            assertTrue(e.getMessage().startsWith("invalid cursor "), e.getMessage());
            assertTrue(e.getMessage().contains("for id \"Alpha\""), e.getMessage());
        }
    }

    @Test
    void otherInvalidArguments() {
        Realplexor rpl = Realplexor.builder().build();
        assertTrue(assertThrows(RealplexorException.class, () -> rpl.send(List.of(), 1))
                .getMessage()
                .startsWith("no target ids"));
        assertTrue(assertThrows(RealplexorException.class, () -> rpl.online("a b"))
                .getMessage()
                .startsWith("invalid id prefix \"a b\""));
        assertTrue(assertThrows(RealplexorException.class, () -> rpl.watch(-1))
                .getMessage()
                .startsWith("invalid position -1"));
        assertTrue(assertThrows(RealplexorException.class, () -> rpl.send("Alpha", new Object()))
                .getMessage()
                .startsWith("cannot serialize the data (java.lang.Object) to JSON"));
        assertTrue(assertThrows(
                        RealplexorException.class, () -> Realplexor.builder().namespace("a-"))
                .getMessage()
                .startsWith("invalid namespace \"a-\""));
        RealplexorException password = assertThrows(
                RealplexorException.class, () -> Realplexor.builder().logon("alice", "has space"));
        assertTrue(password.getMessage().startsWith("invalid password for login \"alice\""));
        assertTrue(!password.getMessage().contains("has space"), "the password stays out of messages");
        assertTrue(assertThrows(RealplexorException.class, () -> RawJson.of(" "))
                .getMessage()
                .startsWith("raw JSON data is empty"));
    }

    @Test
    void readTimeoutAgainstAServerThatNeverAnswers() throws Exception {
        try (FakePeer silent = FakePeer.silent()) {
            Realplexor rpl = Realplexor.builder()
                    .port(silent.port())
                    .readTimeout(Duration.ofMillis(300))
                    .build();
            long start = System.nanoTime();
            RealplexorException e = assertThrows(RealplexorException.class, () -> rpl.send("Alpha", 1));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("no answer from 127.0.0.1:" + silent.port() + " within 300 ms (read timeout)", e.getMessage());
            assertTrue(tookMs >= 250 && tookMs < 5000, "took " + tookMs + " ms");
        }
    }

    @Test
    void non200AnswerCarriesStatusLineAndBody() throws Exception {
        byte[] answer = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (FakePeer peer = FakePeer.answering(answer)) {
            RealplexorException e = assertThrows(
                    RealplexorException.class,
                    () -> Realplexor.builder().port(peer.port()).build().send("Alpha", 1));
            assertEquals(
                    "request to 127.0.0.1:" + peer.port() + " failed: HTTP/1.1 500 Internal Server Error\noops",
                    e.getMessage());
            assertEquals(500, e.statusCode());
            assertEquals("oops\n", e.responseBody());
        }
    }

    @Test
    void earlyRefusalIsReportedEvenWhileTheBodyIsStillGoingOut() throws Exception {
        byte[] answer = "HTTP/1.0 403 Access Deined\r\nContent-Length: 23\r\n\r\nunknown login: mallory\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (FakePeer peer = FakePeer.refusingAfterHead(answer)) {
            Realplexor rpl = Realplexor.builder().port(peer.port()).build();
            String big = "x".repeat(4_000_000); // far more than the socket buffers hold
            RealplexorException e = assertThrows(RealplexorException.class, () -> rpl.send("Alpha", big));
            assertEquals(403, e.statusCode(), e.getMessage());
            assertTrue(
                    e.getMessage().endsWith("failed: HTTP/1.0 403 Access Deined\nunknown login: mallory"),
                    e.getMessage());
        }
    }

    @Test
    void answerShorterThanItsContentLengthIsRejected() throws Exception {
        byte[] answer = "HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII);
        try (FakePeer peer = FakePeer.answering(answer)) {
            RealplexorException e = assertThrows(
                    RealplexorException.class,
                    () -> Realplexor.builder().port(peer.port()).build().online());
            assertTrue(e.getMessage().contains("has a 3-byte body but Content-Length says 10"), e.getMessage());
        }
    }

    @Test
    void answerWithoutContentLengthIsRejected() throws Exception {
        byte[] answer = "HTTP/1.0 200 OK\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII);
        try (FakePeer peer = FakePeer.answering(answer)) {
            RealplexorException e = assertThrows(
                    RealplexorException.class,
                    () -> Realplexor.builder().port(peer.port()).build().send("Alpha", 1));
            assertTrue(e.getMessage().contains("has no Content-Length header"), e.getMessage());
        }
    }

    @Test
    void nonHttpAnswerIsRejected() throws Exception {
        try (FakePeer peer = FakePeer.answering("hello there".getBytes(StandardCharsets.US_ASCII))) {
            RealplexorException e = assertThrows(
                    RealplexorException.class,
                    () -> Realplexor.builder().port(peer.port()).build().send("Alpha", 1));
            assertEquals("non-HTTP answer from 127.0.0.1:" + peer.port() + ": hello there", e.getMessage());
        }
    }
}
