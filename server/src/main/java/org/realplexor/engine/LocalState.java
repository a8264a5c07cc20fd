package org.realplexor.engine;

import java.util.List;
import org.realplexor.protocol.Cursor;

/**
 * What {@link LocalEngine} must find again after a restart, as plain values: its queues (each a
 * list of messages in cursor order; a message stored under several ids is the same object in
 * each), the presence countdowns, the event log and the last cursor its clock made. The journal
 * (engine/journal) writes it as a snapshot and rebuilds it from a snapshot and the journal's tail.
 *
 * @param lastGenerated the highest cursor the clock gave out (null: none): a restart generates above it
 * @param nextEventPos  the position the next presence event gets
 * @param queues        every queue, its messages lowest cursor first
 * @param presence      the ids online or counting down to offline
 * @param events        the event log, oldest first
 */
public record LocalState(
        Cursor lastGenerated,
        long nextEventPos,
        List<Queue> queues,
        List<Countdown> presence,
        List<PresenceEvent> events) {

    /** One id's queue: its messages (cursor under this id = {@code m.cursors().get(id)}) and last publish. */
    public record Queue(String id, long lastPublishMillis, List<StoredMessage> messages) {}

    /**
     * An id that is online or counting down: {@code offlineAt} is when it goes offline, or
     * {@link #ONLINE} when it had listeners (its countdown then starts at the restart, since
     * every listener's connection ended with the process).
     */
    public record Countdown(String id, long offlineAt) {
        public static final long ONLINE = -1;
    }
}
