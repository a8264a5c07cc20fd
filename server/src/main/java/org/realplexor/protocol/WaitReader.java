package org.realplexor.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads one WAIT request as it arrives and decides how it is served: long-poll, JSONP,
 * EventSource, WebSocket upgrade, CORS preflight, or a static page. Fed the bytes received so
 * far at every read (the same array, or a longer copy of it), leniently, as the original read:
 * the identifier list may sit anywhere, a raw request needs no request line. A real HTTP request
 * is decided once its whole head is there, so that Origin (CORS), Accept (SSE) and Upgrade are
 * known. No I/O: the handler owns the connection, its limits and its timers.
 */
public final class WaitReader {
    /**
     * What the decision needs from the settings.
     *
     * @param identifier    the IDENTIFIER knob, named in the answer to a request without a list
     * @param iframeId      IFRAME_ID: a first id that asks for the IFRAME page
     * @param scriptId      SCRIPT_ID: likewise for the SCRIPT page
     * @param maxIds        WAIT_MAX_IDS: distinct ids one connection may listen to
     * @param originAllowed whether an Origin may open a WebSocket (CORS_ORIGINS)
     */
    public record Rules(
            String identifier, String iframeId, String scriptId, int maxIds, Predicate<String> originAllowed) {}

    private static final String[] NO_HEADERS = new String[4];

    private final IdentifierScanner scanner;
    private final Rules rules;
    /** The request line's method, once read (null: not arrived, or a raw request). */
    private String method;
    /** Where the head ends, once the blank line has arrived (-1 until then), and how far it was looked for. */
    private int bodyStart = -1;

    private int headSearched;
    private boolean requestOver;
    /**
     * Where the request ends when it asks to keep the connection ({@code keepalive=1}, see
     * {@link #keptEnd}), found with its head; -1 otherwise. The bytes after it are the next request.
     */
    private int keptEnd = -1;

    public WaitReader(IdentifierScanner scanner, Rules rules) {
        this.scanner = scanner;
        this.rules = rules;
    }

    /**
     * True once a decision was made on a request known to be over: a request line and head and
     * nothing after it (a browser's GET poll: the usual case). Old browsers sent a stray CRLF after
     * a POST body, so a request with a body is never known to be over; nor is one not understood.
     */
    public boolean requestOver() {
        return requestOver;
    }

    /**
     * Goes on with {@code b[0, len)}.
     *
     * @param last nothing more will be read (the client half-closed, or the request is too long): decide now
     */
    public WaitStep read(byte[] b, int len, boolean last) {
        if (method == null) method = RawRequest.method(b, len);
        if (bodyStart < 0) {
            bodyStart = RawRequest.bodyStart(b, Math.max(0, headSearched - 2), len);
            headSearched = len;
            if (bodyStart >= 0 && method != null) keptEnd = keptEnd(b, bodyStart);
        }
        if (keptEnd >= 0) {
            // A kept request is its own bytes only: what follows is the client's next poll.
            if (len < keptEnd) {
                if (!last) return WaitStep.MORE;
                keptEnd = -1; // cut short by the end of input: read as ever, and close after
            } else {
                len = keptEnd;
            }
        }
        // A real HTTP request waits for its whole head; that includes a request line whose end has
        // not arrived yet.
        if (!last && (method != null ? bodyStart < 0 : RawRequest.requestLineInProgress(b, len))) return WaitStep.MORE;
        String notARequest = NotARequest.why(b, len);
        if (notARequest != null) return refused(notARequest);
        IdentifierList list = scanner.scan(b, len, false);
        int headEnd = bodyStart < 0 ? len : bodyStart;
        String[] h = method == null
                ? NO_HEADERS
                : RawRequest.headers(b, headEnd, "Origin", "Upgrade", "Accept", "Content-Length");
        // A whole HTTP request, its body too: nothing more will come, so a list that ends with
        // the body counts (a POST poll's body may be the list alone), and no list is an error.
        boolean whole = method != null && RawRequest.bodyComplete(method, h[3], bodyStart, len);
        if (list == null && whole) list = scanner.scan(b, len, true);
        boolean preflight = "OPTIONS".equals(method);
        // A CORS preflight names no identifier when the poll it clears is a POST.
        if (list == null && !preflight) {
            if (last) return WaitStep.CLOSE;
            if (whole) {
                return refused(
                        "no " + rules.identifier() + "=... in the request (e.g. GET /?" + rules.identifier() + "=ID)");
            }
            return WaitStep.MORE;
        }
        requestOver = method != null && bodyStart == len && h[3] == null || keptEnd >= 0;
        String origin = h[0];
        byte[] head = method == null ? null : b;
        if (preflight) return done(WaitRequest.Route.PREFLIGHT, Map.of(), origin, null, head, headEnd);
        if (list.overLimit() != null) return refused(list.overLimit());
        List<Item> items = list.items();
        if (items.isEmpty()) return WaitStep.CLOSE;
        String first = items.get(0).id();
        if (first.equals(rules.iframeId()))
            return done(WaitRequest.Route.IFRAME, Map.of(), origin, null, head, headEnd);
        if (first.equals(rules.scriptId()))
            return done(WaitRequest.Route.SCRIPT, Map.of(), origin, null, head, headEnd);
        Map<String, Cursor> ids = distinct(items);
        if (ids.size() > rules.maxIds()) {
            return refused(ids.size() + " ids in one request; at most WAIT_MAX_IDS (" + rules.maxIds()
                    + ") may be listened to on one connection");
        }
        String upgrade = h[1];
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) return webSocket(b, headEnd, origin, ids);
        String accept = h[2];
        boolean sse = accept != null && accept.contains("text/event-stream");
        // JSONP is a long-poll's alone: a stream's callback parameter is ignored.
        JsonpCallback jsonp = sse || method == null ? JsonpCallback.NONE : JsonpCallback.inRequestLine(b, headEnd);
        if (jsonp.refused()) return refused(jsonp.refusal());
        if (sse) {
            resume(ids, RawRequest.header(b, headEnd, "Last-Event-ID"));
            return done(WaitRequest.Route.SSE, ids, origin, null, head, headEnd);
        }
        return new WaitStep.Done(new WaitRequest(
                jsonp.present() ? WaitRequest.Route.JSONP : WaitRequest.Route.LONG_POLL,
                ids,
                origin,
                jsonp.name(),
                head,
                headEnd,
                keptEnd));
    }

    /**
     * The opt-in to keep a poll's connection (ours): {@code keepalive=1} in the query of an
     * HTTP/1.1 request line, no {@code Connection: close}, and a body of known length (none, or a
     * Content-Length). Then the request ends at its head plus that length; else -1. A query
     * parameter, not a header, so that a browser's fetch sends it without a CORS preflight.
     */
    static int keptEnd(byte[] b, int headEnd) {
        if (!"1".equals(RawRequest.queryParam(b, headEnd, "keepalive"))) return -1;
        int lineEnd = 0;
        while (lineEnd < headEnd && b[lineEnd] != '\n') lineEnd++;
        int e = lineEnd > 0 && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        if (e < 9 || !new String(b, e - 9, 9, java.nio.charset.StandardCharsets.ISO_8859_1).equals(" HTTP/1.1"))
            return -1;
        String connection = RawRequest.header(b, headEnd, "Connection");
        if (connection != null) {
            for (String token : connection.split(",")) if (token.trim().equalsIgnoreCase("close")) return -1;
        }
        String length = RawRequest.header(b, headEnd, "Content-Length");
        if (length == null) return RawRequest.header(b, headEnd, "Transfer-Encoding") == null ? headEnd : -1;
        if (length.isEmpty() || length.length() > 6) return -1;
        for (int i = 0; i < length.length(); i++) if (!Character.isDigit(length.charAt(i))) return -1;
        return headEnd + Integer.parseInt(length);
    }

    private WaitStep webSocket(byte[] b, int headEnd, String origin, Map<String, Cursor> ids) {
        // The Origin check is the only guard against cross-site WebSocket use: a malformed one is
        // refused too, and not repeated back.
        if (origin != null && !rules.originAllowed().test(origin)) {
            return new WaitStep.Refused(
                    "403 Forbidden",
                    CorsSyntax.isOrigin(origin)
                            ? "origin " + origin + " is not in CORS_ORIGINS"
                            : "the Origin header is not a serialized origin (RFC 6454, 6.2)");
        }
        String key = RawRequest.header(b, headEnd, "Sec-WebSocket-Key");
        String version = RawRequest.header(b, headEnd, "Sec-WebSocket-Version");
        if (key == null || key.isEmpty() || !"13".equals(version)) {
            return new WaitStep.Refused(
                    "426 Upgrade Required", "WebSocket needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13");
        }
        if (!isWebSocketKey(key)) return refused("Sec-WebSocket-Key must be 16 bytes in base64 (RFC 6455, 4.1)");
        return done(WaitRequest.Route.WEBSOCKET, ids, origin, null, b, headEnd);
    }

    /** A client's nonce: 16 random bytes in base64, 24 characters; anything else is no WebSocket client. */
    static boolean isWebSocketKey(String key) {
        try {
            return java.util.Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Last-Event-ID (an SSE reconnect) carries each id's cursor; it wins over the URL's. */
    private static void resume(Map<String, Cursor> ids, String lastEventId) {
        if (lastEventId == null) return;
        for (Item it : IdentifierScanner.parseItems(lastEventId.trim())) {
            if (it.cursor() != null && ids.containsKey(it.id())) ids.put(it.id(), it.cursor());
        }
    }

    /**
     * Distinct ids in the order the request first names them (presence events follow it, as the
     * original's did); a repeated id keeps its last cursor, as the original did.
     */
    static Map<String, Cursor> distinct(List<Item> items) {
        Map<String, Cursor> m = new LinkedHashMap<>();
        for (Item it : items) m.put(it.id(), it.cursor());
        return m;
    }

    private static WaitStep done(
            WaitRequest.Route route,
            Map<String, Cursor> ids,
            String origin,
            String callback,
            byte[] head,
            int headEnd) {
        return new WaitStep.Done(new WaitRequest(route, ids, origin, callback, head, headEnd, -1));
    }

    private static WaitStep refused(String reason) {
        return new WaitStep.Refused("400 Bad Request", reason);
    }
}
