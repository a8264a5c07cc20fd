package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One shared client, many threads: every message is stored and delivered, none lost or mixed. */
@ExtendWith(RealServerExtension.class)
class ConcurrentSendTest {

    private static final int THREADS = 16;
    private static final int MESSAGES = 50; // the test server keeps 100 per id (MAX_DATA_FOR_ID)

    private final RealServer server;

    ConcurrentSendTest(RealServer server) {
        this.server = server;
    }

    @Test
    void sixteenThreadsTimesFiftyMessagesAllAccountedFor() throws Exception {
        Realplexor rpl = server.client().namespace("conc_").build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<List<String>> sender = () -> {
                    start.await();
                    List<String> cursors = new ArrayList<>();
                    for (int n = 0; n < MESSAGES; n++) {
                        SendResult r = rpl.send(List.of("t" + thread, "all"), Map.of("t", thread, "n", n));
                        assertEquals(r.cursors().get("t" + thread), r.cursors().get("all"), r.toString());
                        cursors.add(r.cursor("t" + thread).orElseThrow());
                    }
                    return cursors;
                };
                results.add(pool.submit(sender));
            }
            start.countDown();

            Set<String> allCursors = new HashSet<>();
            for (int t = 0; t < THREADS; t++) {
                List<String> sent = results.get(t).get(60, TimeUnit.SECONDS);
                assertEquals(MESSAGES, sent.size());
                for (int n = 1; n < MESSAGES; n++) {
                    assertTrue(
                            new BigDecimal(sent.get(n)).compareTo(new BigDecimal(sent.get(n - 1))) > 0,
                            "generated cursors grow: " + sent);
                }
                allCursors.addAll(sent);

                // The id's queue, read from cursor 0, holds exactly this thread's messages in order.
                try (WaitListener l = server.listen("0:conc_t" + t)) {
                    List<WaitListener.Part> parts = l.answer();
                    assertEquals(MESSAGES, parts.size(), "thread " + t);
                    for (int n = 0; n < MESSAGES; n++) {
                        WaitListener.Part p = parts.get(n);
                        assertEquals(Map.of("conc_t" + t, sent.get(n)), p.ids());
                        assertEquals(t, p.data().get("t").asInt());
                        assertEquals(n, p.data().get("n").asInt());
                    }
                }
            }
            assertEquals(THREADS * MESSAGES, allCursors.size(), "one distinct cursor per publish");
        } finally {
            pool.shutdownNow();
        }
    }
}
