package org.realplexor.client;

/**
 * One line of a {@code WATCH} answer: an id went online or offline at a position of the
 * server's event log.
 *
 * <p>Asked from position 0, the server answers a single {@code FAKE} event whose position is
 * the one the <em>next</em> event will get, and whose id is {@code FAKE} (never
 * namespace-stripped). The server answers events <em>after</em> the position asked for, so
 * continue from {@link #resumeFrom()}, which does not skip that next event.
 *
 * @param event {@code online}, {@code offline} or {@code FAKE}
 * @param pos the event's position in the log
 * @param id the id, without the client's namespace
 */
public record WatchEvent(String event, long pos, String id) {

    /**
     * True for an {@code online} event.
     *
     * @return whether this is an online event
     */
    public boolean isOnline() {
        return "online".equals(event);
    }

    /**
     * True for an {@code offline} event.
     *
     * @return whether this is an offline event
     */
    public boolean isOffline() {
        return "offline".equals(event);
    }

    /**
     * True for the {@code FAKE} event that only reports the current position.
     *
     * @return whether this is the FAKE event
     */
    public boolean isFake() {
        return "FAKE".equals(event);
    }

    /**
     * The position to pass to the next {@link Realplexor#watch} call to get every later
     * event: {@code pos} for a real event, {@code pos - 1} for {@code FAKE}, whose position
     * belongs to the event that has not happened yet.
     *
     * @return the position to continue from
     */
    public long resumeFrom() {
        return isFake() ? Math.max(0, pos - 1) : pos;
    }
}
