package org.realplexor.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.realplexor.engine.PresenceEvent;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;

/** The bodies the Hub's commands build from what the engine returns. */
class CommandBodiesTest {

    @Test
    void watchListsTheNewestEventOfEachScopedId() {
        List<PresenceEvent> events = List.of(
                new PresenceEvent(10, "online", "alice_1"),
                new PresenceEvent(11, "online", "bob_1"),
                new PresenceEvent(12, "online", "alice_2"),
                new PresenceEvent(13, "offline", "alice_1"));
        assertEquals("online 12:alice_2\noffline 13:alice_1\n", Commands.watchText(events, List.of("alice_")));
        assertEquals(
                "online 11:bob_1\nonline 12:alice_2\noffline 13:alice_1\n",
                Commands.watchText(events, List.of()),
                "no prefix: every id");
        assertEquals("", Commands.watchText(events, List.of("carol")));
    }

    @Test
    void statsAppendsTheListenersHeldHereToTheEngineSections() {
        String text = Commands.statsText(Map.of(), "a 2\n", 2);
        assertEquals(true, text.contains("a 2\n"), text);
        assertEquals(true, text.contains("2 connection(s) registered\n"), text);
    }

    @Test
    void aPublishAnswersTheCursorOfEachTargetInTheOrderNamed() {
        TreeMap<String, Cursor> stored = new TreeMap<>(Map.of("a", Cursor.of("5"), "b", Cursor.of("5")));
        StoredMessage m = new StoredMessage(new byte[0], stored, Set.of());
        Set<String> named = new LinkedHashSet<>(List.of("b", "a"));
        assertEquals("b 5\na 5\n", PublishResult.of(named, m).lines());
    }
}
