package org.realplexor.hub;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.realplexor.protocol.WaitAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answer bytes rendered once and shared by the listeners that get the same bytes. A message's
 * renders live for its delivery; backlog answers still being written are kept by their parts
 * ({@link #backlog}): long-polls that ask for the same messages (e.g. many clients reconnecting
 * from cursor 0) share one render instead of a copy each, which a crowd of clients that do not
 * read would otherwise pin in memory. A backlog render goes at the first sweep after no channel
 * holds it any more. The Hub's thread only.
 */
final class SharedRenders {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Map<Object, ByteBuf> backlog = new HashMap<>();

    Map<Object, ByteBuf> backlog() {
        return backlog;
    }

    /**
     * The bytes of {@code parts} for {@code l}: shared under {@code key} in {@code shared}, or its
     * own (null key; the caller releases them). Null when direct memory is full (clients that do
     * not read hold their answers): the listener then ends with the head alone and comes back for
     * the messages, which stay queued.
     */
    static ByteBuf of(Listener l, List<WaitAnswer.Part> parts, Map<Object, ByteBuf> shared, Object key) {
        try {
            return key == null ? render(l, parts) : shared.computeIfAbsent(key, k -> render(l, parts));
        } catch (OutOfMemoryError e) {
            log.warn("no memory to render an answer ({}); ending the connection without it", e.toString());
            return null;
        }
    }

    private static ByteBuf render(Listener l, List<WaitAnswer.Part> parts) {
        return l.render(parts, l.streaming() ? ListenerParts.cursorMap(l) : null);
    }

    /** Lets go of the backlog renders no channel holds any more. */
    void sweep() {
        backlog.values().removeIf(b -> b.refCnt() == 1 && b.release());
    }

    void releaseAll() {
        backlog.values().forEach(ByteBuf::release);
        backlog.clear();
    }
}
