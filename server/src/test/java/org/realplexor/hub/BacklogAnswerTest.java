package org.realplexor.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.WaitAnswer;

/** What a registering listener is answered from what was queued for it. */
class BacklogAnswerTest {

    private static class Poll extends Listener {
        Poll(String ids, String cursors) {
            super(
                    ids.split(","),
                    Arrays.stream(cursors.split(",")).map(Cursor::of).toArray(Cursor[]::new));
        }

        @Override
        protected boolean streaming() {
            return false;
        }

        @Override
        protected void answer(ByteBuf body) {}

        @Override
        protected void endWithoutMessage() {}
    }

    private static final class Sse extends Poll {
        Sse(String ids, String cursors) {
            super(ids, cursors);
        }

        @Override
        protected boolean streaming() {
            return true;
        }
    }

    /** A message {@code data} stored under {@code id=cursor,...}, limited to {@code limiters} ids. */
    private static StoredMessage msg(String data, String cursors, String... limiters) {
        TreeMap<String, Cursor> at = new TreeMap<>();
        for (String pair : cursors.split(",")) at.put(pair.split("=")[0], Cursor.of(pair.split("=")[1]));
        return new StoredMessage(data.getBytes(StandardCharsets.UTF_8), at, Set.of(limiters));
    }

    /** The parts as {@code data@id=cursor+id=cursor}, joined by spaces. */
    private static String seen(List<WaitAnswer.Part> parts) {
        List<String> out = new ArrayList<>();
        for (WaitAnswer.Part p : parts) {
            StringBuilder s = new StringBuilder(new String(p.data(), StandardCharsets.UTF_8)).append('@');
            p.ids()
                    .forEach((id, c) -> s.append(s.charAt(s.length() - 1) == '@' ? "" : "+")
                            .append(id)
                            .append('=')
                            .append(c.text()));
            out.add(s.toString());
        }
        return String.join(" ", out);
    }

    static Stream<Arguments> answers() {
        StoredMessage a5 = msg("A", "a=5");
        StoredMessage a7 = msg("B", "a=7");
        StoredMessage both = msg("C", "a=6,b=6");
        StoredMessage hidden = msg("D", "a=8", "x");
        StoredMessage seenAlready = msg("E", "a=1");
        return Stream.of(
                Arguments.of("nothing queued", "a", "1", List.of(), ""),
                Arguments.of(
                        "oldest first, older than the cursor left out",
                        "a",
                        "1",
                        List.of(List.of(a7, a5, seenAlready)),
                        "A@a=5 B@a=7"),
                Arguments.of(
                        "one message under two listened ids is one part",
                        "a,b",
                        "1,1",
                        List.of(List.of(both), List.of(both)),
                        "C@a=6+b=6"),
                Arguments.of("only the ids under which it is new", "a,b", "1,6", List.of(List.of(both)), "C@a=6"),
                Arguments.of(
                        "a limiter the listener does not hear hides it",
                        "a",
                        "1",
                        List.of(List.of(a5, hidden)),
                        "A@a=5"),
                Arguments.of(
                        "the limiter among the listened ids shows it",
                        "a,x",
                        "1,1",
                        List.of(List.of(hidden)),
                        "D@a=8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void partsOfALongPoll(String name, String ids, String cursors, List<List<StoredMessage>> queued, String expected) {
        BacklogAnswer a = BacklogAnswer.of(new Poll(ids, cursors), queued, 1 << 20);
        assertEquals(expected, seen(a.parts()));
        assertEquals(false, a.endStream());
        if (!a.parts().isEmpty()) assertSame(a.parts(), a.shareKey(), "long-polls share by the parts alone");
    }

    @Test
    void messagesHeldBackWhileReadingAreMergedAndNoLongerHeld() {
        Poll l = new Poll("a", "1");
        l.hold(msg("late", "a=9"));
        BacklogAnswer a = BacklogAnswer.of(l, List.of(List.of(msg("early", "a=3"))), 1 << 20);
        assertEquals("early@a=3 late@a=9", seen(a.parts()));
        assertNull(l.pending);
        assertEquals(
                "late@a=9",
                seen(BacklogAnswer.of(new HeldOnly(), List.of(), 1 << 20).parts()),
                "held messages alone are answered too (reading the queues failed or found none)");
    }

    private static final class HeldOnly extends Poll {
        HeldOnly() {
            super("a", "1");
            hold(msg("late", "a=9"));
        }
    }

    @Test
    void aBacklogBeyondAnswerMaxBytesIsCutAndAStreamThenEnds() {
        List<List<StoredMessage>> queued = List.of(List.of(msg("x".repeat(100), "a=2"), msg("y".repeat(100), "a=3")));
        BacklogAnswer poll = BacklogAnswer.of(new Poll("a", "1"), queued, 200);
        assertEquals(1, poll.parts().size(), "the first part fits, the second not");
        assertEquals(false, poll.endStream(), "a long-poll is done with its one answer anyway");
        BacklogAnswer stream = BacklogAnswer.of(new Sse("a", "1"), queued, 200);
        assertEquals(1, stream.parts().size());
        assertEquals(true, stream.endStream(), "the stream's client comes back from the cursor it got");
        assertEquals(false, BacklogAnswer.of(new Sse("a", "1"), queued, 1 << 20).endStream());
        assertEquals(
                1,
                BacklogAnswer.of(new Poll("a", "1"), List.of(List.of(msg("z".repeat(500), "a=2"))), 200)
                        .parts()
                        .size(),
                "a first part larger than the limit still goes: the client could never get past it otherwise");
    }

    @Test
    void streamsShareOnlyWithTheSameKindAndTheSameCursorsAfter() {
        StoredMessage m = msg("M", "a=5");
        List<List<StoredMessage>> queued = List.of(List.of(m));
        Sse one = new Sse("a,b", "1,3");
        Object key = BacklogAnswer.of(one, queued, 1 << 20).shareKey();
        assertEquals(
                key, BacklogAnswer.of(new Sse("a,b", "1,3"), queued, 1 << 20).shareKey());
        assertNotEquals(
                key, BacklogAnswer.of(new Sse("a,b", "1,4"), queued, 1 << 20).shareKey(), "other cursors after");
        assertEquals(
                List.of(
                        Sse.class,
                        Map.of("a", Cursor.of("5"), "b", Cursor.of("3")),
                        BacklogAnswer.of(one, queued, 1 << 20).parts()),
                key,
                "the stream's bytes carry every id's cursor after the parts");
        assertEquals(Cursor.of("1"), one.cursors[0], "computing the answer moves no cursor: sending does");
    }
}
