package org.realplexor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The WATCH command and the event log: FAKE, positions from 10, newest per id (§5, §6). */
class WatchTest {

    @Test
    void freshServerAnswersFakeTen() {
        try (E2eServer s = E2eServer.start()) {
            assertEquals("FAKE 10:FAKE\n", s.watch(""), "no position");
            assertEquals("FAKE 10:FAKE\n", s.watch("0"), "position 0");
            assertEquals("FAKE 10:FAKE\n", s.watch("abc"), "non-numeric position");
        }
    }

    @Test
    void decimalAndHugePositionsAreNumbersNotFake() {
        try (E2eServer s = E2eServer.start();
                Poll a = s.listen("dp")) {
            assertEquals("online 10:dp\n", s.watch("9.5"), "after 9.5 comes 10");
            assertEquals("online 10:dp\n", s.watch("0.5"), "after 0.5: everything");
            assertEquals("", s.watch("10.5"), "nothing after 10.5");
            assertEquals("", s.watch("0010.0"), "leading zeros");
            assertEquals("", s.watch("99999999999999999999"), "past every position: nothing");
            assertEquals("FAKE 11:FAKE\n", s.watch("0.0"), "zero written as a decimal is still zero");
            assertEquals("FAKE 11:FAKE\n", s.watch("-5"), "a sign is not numeric here");
        }
    }

    @Test
    void onlineEventsHavePositionsFromTenAndPrefixesFilter() {
        try (E2eServer s = E2eServer.start();
                Poll a = s.listen("w_a")) {
            assertEquals("online 10:w_a\n", s.watch("9"), "first event is 10");
            assertEquals("FAKE 11:FAKE\n", s.watch("0"), "FAKE names the next position");
            assertEquals("", s.watch("10"), "nothing after 10");
            try (Poll b = s.listen("w_b");
                    Poll c = s.listen("x_c");
                    Poll again = s.listen("w_a")) {
                assertEquals("online 11:w_b\nonline 12:x_c\n", s.watch("10"), "a second w_a connection is no event");
                assertEquals("online 10:w_a\nonline 11:w_b\n", s.watch("9 w_"), "prefix w_");
                assertEquals("online 10:w_a\nonline 12:x_c\n", s.watch("9 x_ w_a"), "two prefixes");
                assertEquals("FAKE 13:FAKE\n", s.watch("0 w_"), "FAKE with prefixes");
            }
        }
    }

    @Test
    void oneConnectionsIdsComeOnlineInTheRequestsOrder() {
        // As the original: its events follow the request's list (a repeated id counts once),
        // not the order of names.
        try (E2eServer s = E2eServer.start();
                Poll p = s.listen("zulu,mike,0:zulu,alpha")) {
            assertEquals("online 10:zulu\nonline 11:mike\nonline 12:alpha\n", s.watch("9"));
        }
    }

    @Test
    void offlineEventIsTheNewestPerIdOldestFirst() {
        try (E2eServer s = E2eServer.start("OFFLINE_TIMEOUT", "0.3");
                Poll keep = s.listen("stay")) {
            try (Poll gone = s.listen("leave")) {
                s.send("leave", "\"bye\"");
                gone.answerBytes();
            }
            // online 10:stay, online 11:leave, then offline 12:leave replaces leave's online event.
            Await.until("offline event of `leave`", () -> s.watch("9"), w -> w.contains("offline"));
            assertEquals("online 10:stay\noffline 12:leave\n", s.watch("9"), "newest per id, oldest first");
            assertEquals("offline 12:leave\n", s.watch("10"), "after 10");
            assertEquals("stay 1\n", s.online(), "leave is no longer online");
        }
    }

    @Test
    void reconnectWithinOfflineTimeoutMakesNoEvent() {
        try (E2eServer s = E2eServer.start("OFFLINE_TIMEOUT", "3")) {
            try (Poll first = s.listen("back")) {
                s.send("back", "\"1\"");
                first.answerBytes();
            }
            try (Poll second = s.listen("back")) {
                assertEquals("back 1\n", s.online(), "online again");
                assertEquals("online 10:back\n", s.watch("9"), "no offline, no second online");
                assertEquals("FAKE 11:FAKE\n", s.watch("0"));
            }
        }
    }

    @Test
    void watchKeepsWhatTheOriginalsThreeChainsKeep() {
        // The original keeps three chains of EVENT_CHAIN_LEN + 1 events: after 20 online events
        // with EVENT_CHAIN_LEN=3 it answers WATCH 1 with the newest 12.
        try (E2eServer s = E2eServer.start("EVENT_CHAIN_LEN", "3")) {
            Poll[] polls = new Poll[20];
            try {
                for (int i = 0; i < polls.length; i++) polls[i] = s.listen("ev" + i);
                StringBuilder newest12 = new StringBuilder();
                for (int i = 8; i < 20; i++)
                    newest12.append("online ")
                            .append(10 + i)
                            .append(":ev")
                            .append(i)
                            .append('\n');
                assertEquals(newest12.toString(), s.watch("1"));
                assertEquals("FAKE 30:FAKE\n", s.watch("0"));
            } finally {
                for (Poll p : polls) if (p != null) p.close();
            }
        }
    }
}
