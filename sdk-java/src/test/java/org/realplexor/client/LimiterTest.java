package org.realplexor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code showOnlyForIds}: a message visible only to listeners that also listen to a limiter id. */
@ExtendWith(RealServerExtension.class)
class LimiterTest {

    private final RealServer server;

    LimiterTest(RealServer server) {
        this.server = server;
    }

    @Test
    void limitedMessageReachesOnlyListenersOfALimiterId() throws Exception {
        Realplexor rpl = server.client().namespace("lim1_").build();
        try (WaitListener user1 = server.listen("lim1_Alpha,lim1_u1");
                WaitListener user2 = server.listen("lim1_Alpha,lim1_u2")) {
            SendResult limited = rpl.send(List.of("Alpha"), "for u1", List.of("u1"));
            assertEquals(List.of("Alpha"), List.copyOf(limited.cursors().keySet()), "limiters are not targets");
            rpl.send("Alpha", "for all");

            assertEquals(List.of("for u1"), texts(user1.answer()));
            assertEquals(List.of("for all"), texts(user2.answer()), "user2 never saw the limited message");
        }
        // The same from the queue: a late listener gets what it may see, oldest first.
        try (WaitListener anonymous = server.listen("0:lim1_Alpha")) {
            assertEquals(List.of("for all"), texts(anonymous.answer()));
        }
        try (WaitListener user1 = server.listen("0:lim1_Alpha,lim1_u1")) {
            assertEquals(List.of("for u1", "for all"), texts(user1.answer()));
        }
    }

    @Test
    void anyOfSeveralLimiterIdsMakesTheMessageVisible() throws Exception {
        Realplexor rpl = server.client().namespace("lim2_").build();
        rpl.send(Map.of("Alpha", "5"), "for u1 and u2", List.of("u1", "u2"));
        rpl.send(Map.of("Alpha", "6"), "for all");
        try (WaitListener user2 = server.listen("0:lim2_Alpha,lim2_u2");
                WaitListener user3 = server.listen("0:lim2_Alpha,lim2_u3")) {
            assertEquals(List.of("for u1 and u2", "for all"), texts(user2.answer()));
            assertEquals(List.of("for all"), texts(user3.answer()));
        }
    }

    private static List<String> texts(List<WaitListener.Part> parts) {
        return parts.stream().map(p -> p.data().asText()).collect(Collectors.toList());
    }
}
