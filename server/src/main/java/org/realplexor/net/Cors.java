package org.realplexor.net;

import java.util.List;

/**
 * Which page origins may read the WAIT line's answers (CORS_ORIGINS; {@code *} allows any). The
 * headers are added only when a request names its Origin, so requests without one get the
 * original's bytes unchanged.
 */
final class Cors {
    private final List<String> allowed;

    Cors(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    boolean allows(String origin) {
        return origin != null && (allowed.contains("*") || allowed.contains(origin));
    }

    /** Header lines (each ending in CRLF) for an answer to {@code origin}; empty when none apply. */
    String headers(String origin) {
        if (!allows(origin)) return "";
        return "Access-Control-Allow-Origin: " + origin + "\r\nVary: Origin\r\n";
    }

    /** The whole answer to an OPTIONS preflight. */
    String preflight(String origin, String requestHeaders) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 204 No Content\r\nConnection: close\r\n");
        if (allows(origin)) {
            sb.append(headers(origin))
                    .append("Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n")
                    .append("Access-Control-Allow-Headers: ")
                    .append(requestHeaders == null || requestHeaders.isBlank() ? "Content-Type" : requestHeaders)
                    .append("\r\nAccess-Control-Max-Age: 86400\r\n");
        }
        return sb.append("\r\n").toString();
    }
}
