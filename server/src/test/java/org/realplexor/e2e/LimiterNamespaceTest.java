package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.realplexor.e2e.Bytes.assertBytes;
import static org.realplexor.e2e.Expect.answer;
import static org.realplexor.e2e.Expect.part;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** `*id` visibility limiters and namespaces, which are only id prefixes (§3). */
class LimiterNamespaceTest {

    @Test
    void limitedQueuedMessageReachesOnlyListenersOfALimiter() {
        try (E2eServer s = E2eServer.start()) {
            Map<String, String> lines = s.publish("lim_t,*lim_a,*lim_b", "\"secret\"");
            assertEquals(Map.of("lim_t", lines.get("lim_t")), lines, "limiters are not targets");
            String secret = lines.get("lim_t");

            try (Poll plain = s.listen("0:lim_t")) {
                plain.assertWaiting();
                String pub = s.send("lim_t", "\"public\"");
                assertBytes(
                        answer(part("\"public\"", "lim_t", pub)),
                        plain.answerBytes(),
                        "the limited message stays hidden");

                try (Poll viaB = s.listen("0:lim_t,lim_b")) {
                    assertBytes(
                            answer(part("\"secret\"", "lim_t", secret), part("\"public\"", "lim_t", pub)),
                            viaB.answerBytes(),
                            "visible to a listener of limiter lim_b; the limiter is not named");
                }
                try (Poll viaA = s.listen("0:lim_t,99999999999:lim_a")) {
                    assertBytes(
                            answer(part("\"secret\"", "lim_t", secret), part("\"public\"", "lim_t", pub)),
                            viaA.answerBytes(),
                            "a limiter listened at any cursor counts");
                }
            }
        }
    }

    @Test
    void limitedLiveMessageAnswersOnlyTheListenerOfTheLimiter() {
        try (E2eServer s = E2eServer.start();
                Poll plain = s.listen("live_t");
                Poll member = s.listen("live_t,live_u")) {
            Map<String, String> lines = s.publish("live_t,*5:live_u", "\"members\"");
            assertEquals(Map.of("live_t", lines.get("live_t")), lines, "`*CURSOR:ID` is a limiter too");
            assertBytes(
                    answer(part("\"members\"", "live_t", lines.get("live_t"))),
                    member.answerBytes(),
                    "member answered");
            plain.assertWaiting();
            String c = s.send("live_t", "\"everyone\"");
            assertBytes(
                    answer(part("\"everyone\"", "live_t", c)),
                    plain.answerBytes(),
                    "non-member gets only the public one");
        }
    }

    @Test
    void limiterOnlyListenerDoesNotReceiveTheMessage() {
        try (E2eServer s = E2eServer.start();
                Poll limiterOnly = s.listen("only_u")) {
            s.publish("only_t,*only_u", "\"x\"");
            limiterOnly.assertWaiting();
        }
    }

    @Test
    void namespacesAreJustPrefixes() {
        try (E2eServer s = E2eServer.start();
                Poll ns = s.listen("demo_Alpha");
                Poll bare = s.listen("Alpha")) {
            String c = s.send("demo_Alpha", "\"ns\"");
            assertBytes(answer(part("\"ns\"", "demo_Alpha", c)), ns.answerBytes(), "full id delivered");
            bare.assertWaiting();
            assertEquals("Alpha 1\n", s.online("Al"), "prefix Al");
            assertEquals("", s.online("demo_B"), "no demo_B ids");
        }
    }
}
