package org.realplexor.net;

import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.realplexor.auth.SignedIds;
import org.realplexor.protocol.Cursor;
import org.realplexor.protocol.QueryValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed subscriptions on the WAIT line (SIGNED_PREFIXES, SUBSCRIBE_SECRET): before a request
 * registers, the ids its {@code token} parameters do not grant are taken out of it. When that
 * leaves nothing, the request is answered {@code 403}; otherwise the rest is served and the
 * answer's head names what was refused. Either way two headers say what and why, so a client
 * can ask its page for a fresh token:
 * <pre>
 * X-Realplexor-Refused: user_42,user_43
 * X-Realplexor-Token: expired          (or invalid, or missing)
 * </pre>
 * A cross-origin page may read them (Access-Control-Expose-Headers). Ids outside the prefixes
 * pass untouched, and a request naming none of them costs one prefix check per id.
 */
final class SignedGate {
    private static final Logger log = LoggerFactory.getLogger(SignedGate.class);

    /** The query parameter that carries a token; it may be given several times. */
    static final String PARAM = "token";

    /** What the handler does next: end with {@code refusal}, or go on with {@code headers} added. */
    record Outcome(byte[] refusal, String headers) {
        static final Outcome PASS = new Outcome(null, "");
    }

    private SignedGate() {}

    /**
     * Takes the refused ids out of {@code ids} (in place).
     *
     * @param request     the request's bytes, the request line first
     * @param corsHeaders the CORS lines the answer carries (empty without an allowed Origin)
     */
    static Outcome check(
            SignedIds signed, Map<String, Cursor> ids, byte[] request, int headEnd, String corsHeaders, Channel ch) {
        if (signed.off()) return Outcome.PASS;
        List<String> tokens = QueryValues.all(request, headEnd, PARAM);
        SignedIds.Verdict v = signed.judge(ids.keySet(), tokens, System.currentTimeMillis() / 1000);
        if (!v.refusesAny()) return Outcome.PASS;
        String listed = String.join(",", v.refused());
        String headers = "X-Realplexor-Refused: " + listed + "\r\nX-Realplexor-Token: " + v.reason().word + "\r\n"
                + (corsHeaders.isEmpty()
                        ? ""
                        : "Access-Control-Expose-Headers: X-Realplexor-Token, X-Realplexor-Refused\r\n");
        boolean all = v.refused().size() == ids.size();
        if (log.isDebugEnabled()) {
            log.debug(
                    "WAIT {}: token {} for {}{}",
                    ch.remoteAddress(),
                    v.reason().word,
                    listed,
                    all ? ": refused (403)" : "; serving the other ids");
        }
        if (!all) {
            v.refused().forEach(ids::remove);
            return new Outcome(null, headers);
        }
        byte[] body = ("token " + v.reason().word + " for " + listed + ": " + advice(v.reason()) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n" + corsHeaders
                + headers + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return new Outcome(out, null);
    }

    private static String advice(SignedIds.Reason why) {
        return switch (why) {
            case EXPIRED -> "ask the back end for a fresh one";
            case INVALID -> "the token is malformed or not signed with SUBSCRIBE_SECRET";
            case MISSING -> "these ids need a token=... granting them (SIGNED_PREFIXES)";
        };
    }
}
