package org.realplexor.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.realplexor.engine.StoredMessage;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.WaitAnswer;

/**
 * One WAIT connection as the Hub sees it: the ids it listens to (each once, in the order of the
 * request) and its cursor per id. The net layer subclasses it per transport; the Hub calls the
 * callbacks on its own thread, and the subclass hops to its channel's thread to write.
 *
 * <p>Fields below the constructor are the Hub's and touched only on the Hub's thread.
 */
public abstract class Listener {
    final String[] ids;
    final Cursor[] cursors;

    /**
     * Where this listener is in its one lifecycle, which only goes forward: {@link #NEW} →
     * {@link #LIVE} ⇄ backlog reading → {@link #DONE} (or NEW → DONE, gone before registering).
     * One byte, where four booleans were: a held poll costs no more.
     */
    private byte state = NEW;
    /** Not registered yet. */
    private static final byte NEW = 0;
    /** Registered; messages are delivered to it. */
    private static final byte LIVE = 1;
    /** Registered; what was queued is being read, and messages meanwhile are held back. */
    private static final byte BACKLOG = 2;
    /** As {@link #BACKLOG}, and the client half-closed: end once it is read (see Hub#inputEnded). */
    private static final byte BACKLOG_THEN_END = 3;
    /** The Hub let go of it (before or after registering). */
    private static final byte DONE = 4;

    List<StoredMessage> pending;
    Object mark;
    /** A held long-poll's place in the Hub's {@link PollDeadlines}. */
    long waitDeadline;

    Listener waitPrev;
    Listener waitNext;

    /**
     * @param ids     distinct ids in the order of the request
     * @param cursors cursor per id, or null for "from now" (the Hub fills it in)
     */
    protected Listener(String[] ids, Cursor[] cursors) {
        this.ids = ids;
        this.cursors = cursors;
    }

    /** A long-poll takes one answer and goes; a stream stays and gets every message. */
    protected abstract boolean streaming();

    /** Long-poll: the answer body (the Hub's reference; retain to keep it) — then close. */
    protected abstract void answer(ByteBuf body);

    /** PushStream: the registration's concrete cursors, before any message. */
    protected void started(Map<String, Cursor> cursors) {}

    /**
     * The bytes that carry {@code parts} (messages in order): a long-poll's answer body. A stream
     * renders its own form, and then {@code after} holds every id's cursor after the parts
     * (null for a long-poll). The bytes depend only on the listener's kind, parts and cursors,
     * so the Hub renders once for all listeners that would write the same.
     */
    protected ByteBuf render(List<WaitAnswer.Part> parts, Map<String, Cursor> after) {
        return direct(WaitAnswer.body(parts));
    }

    /** Bytes to share between channels: direct, so that no channel copies them again on the way out. */
    public static ByteBuf direct(byte[] bytes) {
        return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    /** PushStream: writes bytes from {@link #render} (the caller keeps its own reference). */
    protected void pushRendered(ByteBuf rendered) {}

    /** PushStream: nothing to send for a while; keep proxies from closing the connection. */
    protected void heartbeat() {}

    /**
     * The Hub let go of this listener without a message: WAIT_TIMEOUT passed or the client
     * half-closed (long-poll only; close with the head alone), or the server is stopping
     * (streams close too).
     */
    protected abstract void endWithoutMessage();

    /**
     * PushStream: end once what was handed to it is written (its backlog was larger than one answer
     * may be; the client reconnects from the cursors it got). A long-poll is already done.
     */
    protected void endAfterWrites() {
        endWithoutMessage();
    }

    boolean done() {
        return state == DONE;
    }

    /** Registered and not let go yet. */
    boolean held() {
        return state == LIVE || state == BACKLOG || state == BACKLOG_THEN_END;
    }

    boolean readingBacklog() {
        return state == BACKLOG || state == BACKLOG_THEN_END;
    }

    /** NEW → LIVE. */
    void registered() {
        if (state == NEW) state = LIVE;
    }

    /** LIVE → BACKLOG: its queued messages are being read (one let go meanwhile stays DONE). */
    void backlogAsked() {
        if (state == LIVE) state = BACKLOG;
    }

    /** BACKLOG → BACKLOG_THEN_END: the client half-closed while the backlog was being read. */
    void endAfterBacklog() {
        if (state == BACKLOG) state = BACKLOG_THEN_END;
    }

    /** Backlog reading → LIVE; whether the client asked meanwhile to end once it was read. */
    boolean backlogRead() {
        boolean end = state == BACKLOG_THEN_END;
        if (readingBacklog()) state = LIVE;
        return end;
    }

    /** Any → DONE; whether it had been registered (so there is bookkeeping to undo). */
    boolean letGo() {
        boolean wasRegistered = state != NEW;
        state = DONE;
        return wasRegistered;
    }

    /** Appends {@code m} to the messages held back while the backlog is being read. */
    void hold(StoredMessage m) {
        if (pending == null) pending = new ArrayList<>(2);
        pending.add(m);
    }

    /** The index of {@code id} in {@link #ids}, or -1. Lists are short: a scan beats a map. */
    final int indexOf(String id) {
        for (int i = 0; i < ids.length; i++) if (ids[i].equals(id)) return i;
        return -1;
    }
}
