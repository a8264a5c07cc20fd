package org.realplexor.protocol;

import java.util.Map;

/**
 * A WAIT request as read, and the way it is to be served. A check of a request before it
 * registers (its ids and cursors, a query parameter, a header) reads it here.
 *
 * @param route    how it is served
 * @param ids      the distinct ids in the order the request first names them, each with its cursor
 *                 (null: from now); for an EventSource, Last-Event-ID's cursors won. Empty for a
 *                 preflight and the static pages
 * @param origin   the Origin header, or null
 * @param callback the JSONP callback name ({@link Route#JSONP} only), else null
 * @param head     the request's bytes, its head in {@code [0, headEnd)}; null for a raw request
 *                 (one without a request line: it has no headers and no query); not copied, not to
 *                 be changed, and not to be kept once the request is served
 * @param keptEnd  a long-poll or JSONP poll that keeps its connection ({@code keepalive=1}): where
 *                 the request ends in {@code head}'s bytes (what follows is the next request); -1
 *                 for every other request, which ends the connection after its answer
 */
public record WaitRequest(
        Route route, Map<String, Cursor> ids, String origin, String callback, byte[] head, int headEnd, int keptEnd) {
    public enum Route {
        /** An OPTIONS request: the CORS preflight of a POST poll. */
        PREFLIGHT,
        /** The IFRAME page (the first id is IFRAME_ID). */
        IFRAME,
        /** The SCRIPT page (the first id is SCRIPT_ID). */
        SCRIPT,
        LONG_POLL,
        /** A long-poll with a {@code callback=} query parameter. */
        JSONP,
        /** {@code Accept: text/event-stream}. */
        SSE,
        /** {@code Upgrade: websocket}, its handshake checked. */
        WEBSOCKET
    }

    /** The value of the first header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        return head == null ? null : RawRequest.header(head, headEnd, name);
    }

    /** The first value of the query parameter {@code name}, %-decoded (see {@link RawRequest#queryParam}), or null. */
    public String param(String name) {
        return head == null ? null : RawRequest.queryParam(head, headEnd, name);
    }

    /** Whether the connection stays open for the next request after this one's answer. */
    public boolean kept() {
        return keptEnd >= 0;
    }

    public String[] idArray() {
        return ids.keySet().toArray(new String[0]);
    }

    public Cursor[] cursorArray() {
        return ids.values().toArray(new Cursor[0]);
    }
}
