package org.realplexor.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.realplexor.protocol.Cursor;

class PollDeadlinesTest {
    private static final class Poll extends Listener {
        final String name;

        Poll(String name) {
            super(new String[] {name}, new Cursor[1]);
            this.name = name;
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

    private static List<String> expire(PollDeadlines d, long now) {
        List<String> out = new ArrayList<>();
        d.expire(now, l -> out.add(((Poll) l).name));
        return out;
    }

    @Test
    void expiresInOrderUpToNowAndNotBefore() {
        PollDeadlines d = new PollDeadlines();
        d.add(new Poll("a"), 100);
        d.add(new Poll("b"), 150);
        d.add(new Poll("c"), 200);
        assertEquals(List.of(), expire(d, 99));
        assertEquals(List.of("a", "b"), expire(d, 150));
        assertEquals(List.of("c"), expire(d, 1000));
        assertEquals(List.of(), expire(d, 2000));
    }

    @Test
    void removedPollsNeverExpireWhereverTheyStand() {
        PollDeadlines d = new PollDeadlines();
        Poll a = new Poll("a");
        Poll b = new Poll("b");
        Poll c = new Poll("c");
        Poll e = new Poll("e");
        d.add(a, 1);
        d.add(b, 2);
        d.add(c, 3);
        d.add(e, 4);
        d.remove(b); // middle
        d.remove(a); // head
        d.remove(e); // tail
        d.remove(e); // twice: a no-op
        d.remove(new Poll("never added"));
        assertEquals(List.of("c"), expire(d, 10));
        d.add(a, 20); // re-added after removal, to an empty queue
        d.add(b, 21);
        assertEquals(List.of("a", "b"), expire(d, 30));
    }

    @Test
    void aReloadThatShortensTheTimeoutMovesEveryDeadline() {
        PollDeadlines d = new PollDeadlines();
        d.add(new Poll("old"), 300); // registered at 0 with a timeout of 300
        d.add(new Poll("older timeout"), 350);
        d.shift(-250); // the timeout is now 50
        d.add(new Poll("new"), 110); // registered at 60
        assertEquals(List.of(), expire(d, 49));
        assertEquals(List.of("old", "older timeout"), expire(d, 100));
        assertEquals(List.of("new"), expire(d, 110));
        d.add(new Poll("later"), 200);
        d.shift(100);
        assertEquals(List.of(), expire(d, 299));
        assertEquals(List.of("later"), expire(d, 300));
    }
}
