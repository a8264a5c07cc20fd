package org.realplexor.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Recognises, from a request's first bytes, what is not a WAIT request at all, so that it gets
 * a 400 at once instead of waiting for an identifier that will never come: a TLS handshake sent
 * to a plain-text port, the HTTP/2 connection preface, binary data. Requests of every client
 * this server speaks to start with printable text (a method, or the raw {@code identifier=}).
 */
public final class NotARequest {
    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** The first byte of a TLS record carrying a handshake (a ClientHello). */
    private static final byte TLS_HANDSHAKE = 0x16;

    private NotARequest() {}

    /** Why the bytes received so far cannot be a request, or null (they may be, or may become one). */
    public static String why(byte[] b, int len) {
        if (len == 0) return null;
        if (b[0] == TLS_HANDSHAKE) return "this port speaks plain HTTP: a TLS handshake is not a request here";
        if (startsWith(b, len, H2_PREFACE)) return "HTTP/2 without TLS is not spoken here: send HTTP/1.1";
        int first = b[0] & 0xff;
        boolean text = (first >= 0x20 && first < 0x7f) || first == '\r' || first == '\n' || first == '\t';
        return text ? null : "not an HTTP request (binary data)";
    }

    /** True once all of {@code prefix} has arrived and matches. */
    private static boolean startsWith(byte[] b, int len, byte[] prefix) {
        if (len < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }
}
