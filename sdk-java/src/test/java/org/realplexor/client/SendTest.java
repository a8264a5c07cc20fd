package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publishing, seen from real WAIT listeners of the real server. */
@ExtendWith(RealServerExtension.class)
class SendTest {

    private final RealServer server;

    SendTest(RealServer server) {
        this.server = server;
    }

    @Test
    void messageReachesListenerAndReportedCursorIsTheDelivered() throws Exception {
        Realplexor rpl = server.client().namespace("snd1_").build();
        try (WaitListener l = server.listen("snd1_Alpha")) {
            SendResult r = rpl.send("Alpha", Map.of("text", "hello"));

            assertTrue(r.reported(), "our server reports cursors");
            String cursor = r.cursor("Alpha").orElseThrow();
            List<WaitListener.Part> parts = l.answer();
            assertEquals(1, parts.size());
            assertEquals(Map.of("snd1_Alpha", cursor), parts.get(0).ids());
            assertEquals("hello", parts.get(0).data().get("text").asText());
        }
    }

    @Test
    void oneMessageToSeveralIdsSharesOneCursorAndArrivesOnce() throws Exception {
        Realplexor rpl = server.client().namespace("snd2_").build();
        try (WaitListener l = server.listen("snd2_Alpha,snd2_Beta")) {
            SendResult r = rpl.send(List.of("Alpha", "Beta", "Gamma"), List.of(1, 2, 3));

            assertEquals(
                    List.of("Alpha", "Beta", "Gamma"), List.copyOf(r.cursors().keySet()));
            assertEquals(1, r.cursors().values().stream().distinct().count(), r.toString());
            List<WaitListener.Part> parts = l.answer();
            assertEquals(1, parts.size(), "stored once under several ids, delivered once");
            assertEquals(
                    Map.of(
                            "snd2_Alpha",
                            r.cursors().get("Alpha"),
                            "snd2_Beta",
                            r.cursors().get("Beta")),
                    parts.get(0).ids());
            assertEquals("[1,2,3]", parts.get(0).data().toString());
        }
    }

    @Test
    void givenCursorsAreStoredVerbatimAndFilterListeners() throws Exception {
        Realplexor rpl = server.client().namespace("snd3_").build();
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("Alpha", "0010.50");
        targets.put("Beta", 20L);
        targets.put("Gamma", new BigDecimal("30.25"));
        targets.put("Delta", null); // a generated cursor
        SendResult r = rpl.send(targets, "first");

        assertEquals("0010.50", r.cursors().get("Alpha"));
        assertEquals("20", r.cursors().get("Beta"));
        assertEquals("30.25", r.cursors().get("Gamma"));
        assertTrue(
                new BigDecimal(r.cursors().get("Delta")).compareTo(new BigDecimal(1_000_000_000)) > 0,
                "a generated cursor is Unix time: " + r);

        rpl.send(Map.of("Alpha", 11), "second");

        // 0010.50 is compared as the number 10.5: a listener holding 10.5 gets only the newer one.
        try (WaitListener l = server.listen("10.5:snd3_Alpha")) {
            List<WaitListener.Part> parts = l.answer();
            assertEquals(1, parts.size());
            assertEquals(Map.of("snd3_Alpha", "11"), parts.get(0).ids());
            assertEquals("second", parts.get(0).data().asText());
        }
        try (WaitListener l = server.listen("19:snd3_Beta")) {
            List<WaitListener.Part> parts = l.answer();
            assertEquals(1, parts.size());
            assertEquals(Map.of("snd3_Beta", "20"), parts.get(0).ids());
            assertEquals("first", parts.get(0).data().asText());
        }
    }

    @Test
    void rawJsonIsSplicedByteForByte() throws Exception {
        Realplexor rpl = server.client().namespace("snd4_").build();
        String raw = "{ \"keep\" : [1,  2], \"spacing\":true }";
        try (WaitListener l = server.listen("snd4_Alpha")) {
            rpl.send("Alpha", RawJson.of(raw));
            String body = l.rawBody();
            assertTrue(body.contains("\"data\": " + raw), body);
        }
    }

    @Test
    void rawJsonNestedInAnObjectIsWrittenVerbatim() throws Exception {
        Realplexor rpl = server.client().namespace("snd5_").build();
        try (WaitListener l = server.listen("snd5_Alpha")) {
            rpl.send("Alpha", Map.of("html", RawJson.of("[1,{\"b\":2}]")));
            assertEquals("{\"html\":[1,{\"b\":2}]}", l.answer().get(0).data().toString());
        }
    }

    @Test
    void nonAsciiDataArrivesIntact() throws Exception {
        Realplexor rpl = server.client().namespace("snd6_").build();
        String text = "Привет, мир ✓ 日本 \uD83D\uDE80";
        try (WaitListener l = server.listen("snd6_Alpha")) {
            rpl.send("Alpha", Map.of("t", text));
            assertEquals(text, l.answer().get(0).data().get("t").asText());
        }
    }

    @Test
    void withoutNamespaceIdsGoAsGiven() throws Exception {
        Realplexor rpl = server.client().build();
        try (WaitListener l = server.listen("snd7Alpha")) {
            SendResult r = rpl.send(List.of("snd7Alpha"), 7);
            assertEquals(List.of("snd7Alpha"), List.copyOf(r.cursors().keySet()));
            assertEquals(7, l.answer().get(0).data().asInt());
        }
    }

    @Test
    void suppliedObjectMapperSerializesTheData() throws Exception {
        ObjectMapper snake = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        Realplexor rpl = server.client().namespace("snd8_").objectMapper(snake).build();
        try (WaitListener l = server.listen("snd8_Alpha")) {
            rpl.send("Alpha", new Greeting("Ann", 3));
            assertEquals(
                    "{\"user_name\":\"Ann\",\"unread_count\":3}",
                    l.answer().get(0).data().toString());
        }
    }

    /** A bean for the mapper test. */
    public static final class Greeting {
        private final String userName;
        private final int unreadCount;

        Greeting(String userName, int unreadCount) {
            this.userName = userName;
            this.unreadCount = unreadCount;
        }

        public String getUserName() {
            return userName;
        }

        public int getUnreadCount() {
            return unreadCount;
        }
    }

    @Test
    void asyncSendRunsOnTheSuppliedExecutor() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Realplexor rpl = server.client()
                    .namespace("snd9_")
                    .executor(task -> {
                        tasks.incrementAndGet();
                        pool.execute(task);
                    })
                    .build();
            try (WaitListener l = server.listen("snd9_Alpha,snd9_u1")) {
                SendResult r = rpl.sendAsync(List.of("Alpha"), "async").get(10, TimeUnit.SECONDS);
                assertEquals(1, tasks.get());
                assertEquals(
                        Map.of("snd9_Alpha", r.cursors().get("Alpha")),
                        l.answer().get(0).ids());
            }
            SendResult withCursor = rpl.sendAsync(Map.of("Beta", "5"), "x").get(10, TimeUnit.SECONDS);
            assertEquals("5", withCursor.cursors().get("Beta"));
            SendResult limited =
                    rpl.sendAsync(List.of("Alpha"), "y", List.of("u1")).get(10, TimeUnit.SECONDS);
            assertTrue(limited.cursor("Alpha").isPresent());
            assertEquals(3, tasks.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
