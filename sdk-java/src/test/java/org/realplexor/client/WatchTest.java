package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code watch}: presence events from the real server's event log. */
@ExtendWith(RealServerExtension.class)
class WatchTest {

    private final RealServer server;

    WatchTest(RealServer server) {
        this.server = server;
    }

    @Test
    void fromZeroTheServerTellsTheCurrentPosition() {
        for (Realplexor rpl : List.of(
                server.client().build(), server.client().namespace("wat0_").build())) {
            List<WatchEvent> events = rpl.watch(0);
            assertEquals(1, events.size(), events.toString());
            WatchEvent fake = events.get(0);
            assertTrue(fake.isFake(), fake.toString());
            assertEquals("FAKE", fake.id(), "kept although outside the namespace");
            assertTrue(fake.pos() >= 10, "positions start at 10: " + fake);
            assertEquals(fake.pos() - 1, fake.resumeFrom());
        }
    }

    @Test
    void reportsOnlineThenOfflineOfTheNamespaceOnly() throws Exception {
        Realplexor rpl = server.client().namespace("wat1_").build();
        long from = rpl.watch(0).get(0).resumeFrom();

        WaitListener alpha = server.listen("wat1_Alpha");
        try (WaitListener other = server.listen("wat2_Other")) {
            List<WatchEvent> events = rpl.watch(from);
            assertEquals(1, events.size(), "only the namespace's ids: " + events);
            WatchEvent online = events.get(0);
            assertTrue(online.isOnline(), online.toString());
            assertEquals("Alpha", online.id());
            assertTrue(online.pos() > from, online.toString());

            assertEquals(events, rpl.watch(from, "Al"));
            assertEquals(List.of(), rpl.watch(from, "Zz"));
            assertEquals(List.of(), rpl.watch(online.resumeFrom()), "nothing after the newest event");

            alpha.close();
            // Only the newest event per id is kept: once offline, the online event is gone.
            List<WatchEvent> later = Await.until(
                    () -> rpl.watch(from), e -> e.size() == 1 && e.get(0).isOffline(), Duration.ofSeconds(10));
            assertEquals("Alpha", later.get(0).id());
            assertTrue(later.get(0).pos() > online.pos(), later.toString());
        }
    }

    @Test
    void watchWithoutNamespaceSeesFullIds() throws Exception {
        Realplexor global = server.client().build();
        long from = global.watch(0).get(0).resumeFrom();
        try (WaitListener l = server.listen("wat3_Alpha")) {
            List<WatchEvent> events = global.watchAsync(from, List.of("wat3_")).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(new WatchEvent("online", events.get(0).pos(), "wat3_Alpha")), events);
        }
    }
}
