package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code online} and {@code onlineWithCounters} against listeners on the real WAIT line. */
@ExtendWith(RealServerExtension.class)
class OnlineTest {

    private final RealServer server;

    OnlineTest(RealServer server) {
        this.server = server;
    }

    @Test
    void listsTheNamespacesOnlineIdsWithListenerCounts() throws Exception {
        Realplexor rpl = server.client().namespace("onl1_").build();
        try (WaitListener a = server.listen("onl1_Alpha");
                WaitListener ab = server.listen("onl1_Alpha,onl1_Beta");
                WaitListener other = server.listen("onl2_Gamma")) {
            assertEquals(Map.of("Alpha", 2, "Beta", 1), rpl.onlineWithCounters());
            assertEquals(List.of("Alpha", "Beta"), rpl.online(), "sorted by the server, namespace stripped");
            assertEquals(List.of("Alpha"), rpl.online("Al"));
            assertEquals(List.of("Alpha", "Beta"), rpl.online(List.of("Al", "Be")));
            assertEquals(List.of(), rpl.online("Zz"));

            Realplexor global = server.client().build();
            assertEquals(
                    Map.of("onl1_Alpha", 2, "onl1_Beta", 1, "onl2_Gamma", 1),
                    global.onlineWithCounters("onl1_", "onl2_"));
            assertTrue(
                    global.online().containsAll(List.of("onl1_Alpha", "onl1_Beta", "onl2_Gamma")),
                    "no namespace and no prefix: every online id");
        }
    }

    @Test
    void asyncVariantsGiveTheSameAnswers() throws Exception {
        Realplexor rpl = server.client().namespace("onl3_").build();
        try (WaitListener l = server.listen("onl3_Alpha")) {
            assertEquals(List.of("Alpha"), rpl.onlineAsync(List.of()).get(10, TimeUnit.SECONDS));
            assertEquals(
                    Map.of("Alpha", 1),
                    rpl.onlineWithCountersAsync(List.of("A")).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anIdGoesOfflineAfterItsLastListenerLeaves() throws Exception {
        Realplexor rpl = server.client().namespace("onl4_").build();
        WaitListener l = server.listen("onl4_Alpha");
        assertEquals(Map.of("Alpha", 1), rpl.onlineWithCounters());
        l.close();
        // Counted 0 for OFFLINE_TIMEOUT (0.5 s in these tests), then gone.
        Await.until(rpl::onlineWithCounters, Map::isEmpty, Duration.ofSeconds(10));
    }
}
