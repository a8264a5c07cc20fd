package org.realplexor.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.realplexor.protocol.Cursor;

/** A listener's one lifecycle: which transitions move it, and what the Hub reads of each state. */
class ListenerStateTest {

    private static final class Poll extends Listener {
        Poll() {
            super(new String[] {"a"}, new Cursor[1]);
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

    /** done, held, readingBacklog, as one string. */
    private static String seen(Listener l) {
        return (l.done() ? "D" : "-") + (l.held() ? "H" : "-") + (l.readingBacklog() ? "B" : "-");
    }

    static Stream<Arguments> paths() {
        Consumer<Listener> reg = Listener::registered;
        Consumer<Listener> ask = Listener::backlogAsked;
        Consumer<Listener> halfClose = Listener::endAfterBacklog;
        Consumer<Listener> read = Listener::backlogRead;
        Consumer<Listener> letGo = Listener::letGo;
        return Stream.of(
                Arguments.of("new", new Consumer[] {}, "---"),
                Arguments.of("registered", new Consumer[] {reg}, "-H-"),
                Arguments.of("reading backlog", new Consumer[] {reg, ask}, "-HB"),
                Arguments.of("half-closed while reading", new Consumer[] {reg, ask, halfClose}, "-HB"),
                Arguments.of("backlog read", new Consumer[] {reg, ask, read}, "-H-"),
                Arguments.of(
                        "half-close when not reading is no state", new Consumer[] {reg, halfClose, ask, read}, "-H-"),
                Arguments.of("let go before registering", new Consumer[] {letGo}, "D--"),
                Arguments.of("registering after let go", new Consumer[] {letGo, reg, ask}, "D--"),
                Arguments.of("let go while reading", new Consumer[] {reg, ask, letGo, read}, "D--"),
                Arguments.of("let go between register and ask", new Consumer[] {reg, letGo, ask}, "D--"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    @SuppressWarnings("unchecked")
    void states(String name, Consumer<Listener>[] steps, String expected) {
        Listener l = new Poll();
        for (Consumer<Listener> s : steps) s.accept(l);
        assertEquals(expected, seen(l));
    }

    @ParameterizedTest(name = "half-closed: {0}")
    @MethodSource("endings")
    void backlogReadTellsWhetherToEnd(boolean halfClosed) {
        Listener l = new Poll();
        l.registered();
        l.backlogAsked();
        if (halfClosed) l.endAfterBacklog();
        assertEquals(halfClosed, l.backlogRead());
        assertEquals(false, l.backlogRead()); // told once: it is LIVE now
    }

    static Stream<Boolean> endings() {
        return Stream.of(false, true);
    }

    @org.junit.jupiter.api.Test
    void letGoTellsWhetherThereIsBookkeepingToUndo() {
        assertEquals(false, new Poll().letGo());
        Listener l = new Poll();
        l.registered();
        assertEquals(true, l.letGo());
    }
}
