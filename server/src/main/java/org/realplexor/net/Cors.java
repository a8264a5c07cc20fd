package org.realplexor.net;

import java.util.List;
import org.realplexor.protocol.CorsSyntax;

/**
 * Which page origins may read the WAIT line's answers (CORS_ORIGINS; {@code *} allows any). The
 * headers are added only when a request names its Origin, so requests without one get the
 * original's bytes unchanged. Request values are echoed only when {@link CorsSyntax} accepts
 * them: an Origin that is not a serialized origin counts as no Origin at all (browsers always
 * send a valid one), so its answer is byte for byte that of a request without Origin.
 */
final class Cors {
    /** Allowed on a preflight whose Access-Control-Request-Headers is missing or not a token list. */
    static final String DEFAULT_ALLOW_HEADERS = "Content-Type";

    private final List<String> allowed;

    Cors(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** False for a missing or malformed origin too: with {@code *}, the origin is echoed as it came. */
    boolean allows(String origin) {
        return CorsSyntax.isOrigin(origin) && (allowed.contains("*") || allowed.contains(origin));
    }

    /** Header lines (each ending in CRLF) for an answer to {@code origin}; empty when none apply. */
    String headers(String origin) {
        if (!allows(origin)) return "";
        return "Access-Control-Allow-Origin: " + origin + "\r\nVary: Origin\r\n";
    }

    /**
     * The whole answer to an OPTIONS preflight. The headers the page asks for are allowed as
     * asked when they are a plain token list; otherwise (missing, malformed, overlong) only
     * {@link #DEFAULT_ALLOW_HEADERS}, and the browser refuses a request that needs more.
     */
    String preflight(String origin, String requestHeaders) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 204 No Content\r\nConnection: close\r\n");
        if (allows(origin)) {
            sb.append(headers(origin))
                    .append("Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n")
                    .append("Access-Control-Allow-Headers: ")
                    .append(CorsSyntax.isTokenList(requestHeaders) ? requestHeaders : DEFAULT_ALLOW_HEADERS)
                    .append("\r\nAccess-Control-Max-Age: 86400\r\n");
        }
        return sb.append("\r\n").toString();
    }
}
